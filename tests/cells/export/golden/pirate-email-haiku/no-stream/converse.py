# Send a prompt to Claude 3 Haiku through the Converse API. Exported from Bedrock Playground.

import boto3
from botocore.exceptions import ClientError

# Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
# through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
# named profile, create it with boto3.Session(profile_name="my-profile").client(...).
client = boto3.client("bedrock-runtime", region_name="us-east-1")

# Set the model ID, e.g., Claude 3 Haiku.
model_id = "anthropic.claude-3-haiku-20240307-v1:0"

# The system prompt.
system = [{"text": "Please respond to all requests in the style of a pirate."}]

# The conversation, ending with the user message.
conversation = [
    {
        "role": "user",
        "content": [
            {
                "text": "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer",
            },
        ],
    },
]

# The inference parameters.
inference_config = {"maxTokens": 2000, "temperature": 0}

try:
    # Send the conversation to the model.
    response = client.converse(
        modelId=model_id,
        messages=conversation,
        system=system,
        inferenceConfig=inference_config,
    )

    # Print the answer, then the token usage and latency.
    print(response["output"]["message"]["content"][0]["text"])
    usage = response["usage"]
    print()
    print(f"Input tokens: {usage['inputTokens']}, output tokens: {usage['outputTokens']}")
    print(f"Latency: {response['metrics']['latencyMs']} ms")

except (ClientError, Exception) as e:
    print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
    exit(1)
