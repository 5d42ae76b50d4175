# Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API. Exported from
# Bedrock Playground.

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
    response = client.invoke_model(
        modelId=model_id,
        body=json.dumps(native_request),
    )

    # Decode the response body and print the answer, then the token usage.
    model_response = json.loads(response["body"].read())
    text = model_response["generation"]
    input_tokens = model_response["prompt_token_count"]
    output_tokens = model_response["generation_token_count"]
    print(text)
    print()
    print(f"Input tokens: {input_tokens}, output tokens: {output_tokens}")

except (ClientError, Exception) as e:
    print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
    exit(1)
