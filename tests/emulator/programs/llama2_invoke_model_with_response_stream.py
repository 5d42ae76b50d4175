# Mirrors aws-doc-sdk-examples' Python program that streams Meta Llama 2's answer with
# InvokeModelWithResponseStream
# (python/example_code/bedrock-runtime/models/meta_llama/llama2/invoke_model_with_response_stream.py):
# the same prompt and body, printing each chunk's `generation`. Written for these tests.
import json

import boto3

client = boto3.client("bedrock-runtime", region_name="us-east-1")

model_id = "meta.llama2-13b-chat-v1"

user_message = "Describe the purpose of a 'hello world' program in one line."

prompt = f"<s>[INST] {user_message} [/INST]"

native_request = {
    "prompt": prompt,
    "max_gen_len": 512,
    "temperature": 0.5,
}

request = json.dumps(native_request)

streaming_response = client.invoke_model_with_response_stream(modelId=model_id, body=request)

for event in streaming_response["body"]:
    chunk = json.loads(event["chunk"]["bytes"])
    if "generation" in chunk:
        print(chunk["generation"], end="")
