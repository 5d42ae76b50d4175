# Mirrors aws-doc-sdk-examples' Python program that sends a text message to Anthropic Claude with
# InvokeModel (python/example_code/bedrock-runtime/models/anthropic_claude/invoke_model.py):
# Claude 3 Haiku, the Messages body, and content[0].text. Written for these tests in the same
# shape.
import json

import boto3

client = boto3.client("bedrock-runtime", region_name="us-east-1")

model_id = "anthropic.claude-3-haiku-20240307-v1:0"

prompt = "Describe the purpose of a 'hello world' program in one line."

native_request = {
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 512,
    "temperature": 0.5,
    "messages": [
        {
            "role": "user",
            "content": [{"type": "text", "text": prompt}],
        }
    ],
}

request = json.dumps(native_request)

try:
    response = client.invoke_model(modelId=model_id, body=request)
except Exception as e:
    print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
    exit(1)

model_response = json.loads(response["body"].read())

response_text = model_response["content"][0]["text"]
print(response_text)
