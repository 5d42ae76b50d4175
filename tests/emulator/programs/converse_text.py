# Mirrors the "Text" program of "Converse API examples" in the Amazon Bedrock user guide
# (https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-examples.html):
# Claude 3 Sonnet, a system prompt, temperature and top_k, two turns. Written for these tests in
# the same shape: the same calls, model id and fields. Nothing in it names the emulator.
import logging

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def generate_conversation(bedrock_client, model_id, system_prompts, messages):
    """Sends the messages to the model and returns its response."""
    logger.info("Generating message with model %s", model_id)

    temperature = 0.5
    top_k = 200
    inference_config = {"temperature": temperature}
    additional_model_fields = {"top_k": top_k}

    response = bedrock_client.converse(
        modelId=model_id,
        messages=messages,
        system=system_prompts,
        inferenceConfig=inference_config,
        additionalModelRequestFields=additional_model_fields,
    )

    token_usage = response["usage"]
    logger.info("Input tokens: %s", token_usage["inputTokens"])
    logger.info("Output tokens: %s", token_usage["outputTokens"])
    logger.info("Total tokens: %s", token_usage["totalTokens"])
    logger.info("Stop reason: %s", response["stopReason"])
    return response


def main():
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    model_id = "anthropic.claude-3-sonnet-20240229-v1:0"

    system_prompts = [
        {
            "text": "You are an app that creates playlists for a radio station that plays rock and pop music. Only return song names and the artist."
        }
    ]
    message_1 = {"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}
    message_2 = {
        "role": "user",
        "content": [{"text": "Make sure the songs are by artists from the United Kingdom."}],
    }
    messages = []

    try:
        bedrock_client = boto3.client(service_name="bedrock-runtime")

        messages.append(message_1)
        response = generate_conversation(bedrock_client, model_id, system_prompts, messages)
        output_message = response["output"]["message"]
        messages.append(output_message)

        messages.append(message_2)
        response = generate_conversation(bedrock_client, model_id, system_prompts, messages)
        output_message = response["output"]["message"]
        messages.append(output_message)

        for message in messages:
            print(f"Role: {message['role']}")
            for content in message["content"]:
                print(f"Text: {content['text']}")
            print()

    except ClientError as err:
        message = err.response["Error"]["Message"]
        logger.error("A client error occurred: %s", message)
        print(f"A client error occured: {message}")
    else:
        print(f"Finished generating text with model {model_id}.")


if __name__ == "__main__":
    main()
