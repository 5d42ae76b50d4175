# Mirrors aws-doc-sdk-examples' Python program that streams Anthropic Claude's answer with
# InvokeModelWithResponseStream
# (python/example_code/bedrock-runtime/models/anthropic_claude/invoke_model_with_response_stream.py):
# the Messages body and the loop that prints each content_block_delta's text. Written for these
# tests in the same shape.
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

streaming_response = client.invoke_model_with_response_stream(modelId=model_id, body=request)

for event in streaming_response["body"]:
    chunk = json.loads(event["chunk"]["bytes"])
    if chunk["type"] == "content_block_delta":
        print(chunk["delta"].get("text", ""), end="")
