# Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API, printing the
# answer as it streams. Exported from Bedrock Playground.

import json

import boto3
from botocore.exceptions import ClientError

# Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
# through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
# named profile, create it with boto3.Session(profile_name="my-profile").client(...).
client = boto3.client("bedrock-runtime", region_name="us-east-1")

# Set the model ID, e.g., Llama 2 13B Chat.
model_id = "meta.llama2-13b-chat-v1"

# Format the request payload using the model's native structure.
native_request = {
    "prompt": (
        "<s>[INST] <<SYS>>\n"
        "Please respond to all requests in the style of a pirate.\n"
        "<</SYS>>\n\n"
        "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer [/INST]"
    ),
    "max_gen_len": 2000,
    "temperature": 0,
}

try:
    # Encode and send the request.
    response = client.invoke_model_with_response_stream(
        modelId=model_id,
        body=json.dumps(native_request),
    )

    # Print the answer as it arrives; Bedrock adds the token usage and latency to the
    # last chunk.
    for event in response["body"]:
        chunk = json.loads(event["chunk"]["bytes"])
        if chunk.get("generation"):
            text = chunk["generation"]
            print(text, end="", flush=True)
        metrics = chunk.get("amazon-bedrock-invocationMetrics")
        if metrics:
            print("\n")
            print(f"Input tokens: {metrics['inputTokenCount']}, output tokens: {metrics['outputTokenCount']}")
            print(f"Latency: {metrics['invocationLatency']} ms")

except (ClientError, Exception) as e:
    print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
    exit(1)
