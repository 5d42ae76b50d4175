# Send a prompt to Claude 3 Haiku through the Converse API, printing the answer as it streams.
# Exported from Bedrock Playground.

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
    response = client.converse_stream(
        modelId=model_id,
        messages=conversation,
        system=system,
        inferenceConfig=inference_config,
    )

    # Print the answer as it arrives, then the token usage and latency.
    for event in response["stream"]:
        if "contentBlockDelta" in event:
            print(event["contentBlockDelta"]["delta"].get("text", ""), end="", flush=True)
        elif "metadata" in event:
            usage = event["metadata"]["usage"]
            latency_ms = event["metadata"]["metrics"]["latencyMs"]
            print("\n")
            print(f"Input tokens: {usage['inputTokens']}, output tokens: {usage['outputTokens']}")
            print(f"Latency: {latency_ms} ms")

except (ClientError, Exception) as e:
    print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
    exit(1)
