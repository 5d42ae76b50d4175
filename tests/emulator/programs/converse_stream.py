# Mirrors the "Streaming" program of "Converse API examples" in the Amazon Bedrock user guide
# (https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-examples.html):
# ConverseStream with Claude v2, a system prompt, temperature and top_k, and the loop over the
# stream's events. Written for these tests in the same shape.
import logging

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def stream_conversation(bedrock_client, model_id, messages, system_prompts, inference_config, additional_model_fields):
    """Streams the model's answer and prints each event."""
    logger.info("Streaming messages with model %s", model_id)

    response = bedrock_client.converse_stream(
        modelId=model_id,
        messages=messages,
        system=system_prompts,
        inferenceConfig=inference_config,
        additionalModelRequestFields=additional_model_fields,
    )

    stream = response.get("stream")
    if stream:
        for event in stream:
            if "messageStart" in event:
                print(f"\nRole: {event['messageStart']['role']}")

            if "contentBlockDelta" in event:
                print(event["contentBlockDelta"]["delta"]["text"], end="")

            if "messageStop" in event:
                print(f"\nStop reason: {event['messageStop']['stopReason']}")

            if "metadata" in event:
                metadata = event["metadata"]
                if "usage" in metadata:
                    print("\nToken usage")
                    print(f"Input tokens: {metadata['usage']['inputTokens']}")
                    print(f":Output tokens: {metadata['usage']['outputTokens']}")
                    print(f":Total tokens: {metadata['usage']['totalTokens']}")
                if "metrics" in event["metadata"]:
                    print(f"Latency: {metadata['metrics']['latencyMs']} milliseconds")


def main():
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    model_id = "anthropic.claude-v2"
    system_prompt = """You are an app that creates playlists for a radio station
      that plays rock and pop music. Only return song names and the artist."""
    input_text = "Create a list of 3 pop songs."

    message = {"role": "user", "content": [{"text": input_text}]}
    messages = [message]
    system_prompts = [{"text": system_prompt}]

    temperature = 0.5
    top_k = 200
    inference_config = {"temperature": temperature}
    additional_model_fields = {"top_k": top_k}

    try:
        bedrock_client = boto3.client(service_name="bedrock-runtime")
        stream_conversation(bedrock_client, model_id, messages, system_prompts, inference_config, additional_model_fields)

    except ClientError as err:
        message = err.response["Error"]["Message"]
        logger.error("A client error occurred: %s", message)
        print("A client error occured: " + format(message))
    else:
        print(f"Finished streaming messages with model {model_id}.")


if __name__ == "__main__":
    main()
