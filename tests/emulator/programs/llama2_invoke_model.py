# Mirrors aws-doc-sdk-examples' Python program that sends a text message to Meta Llama 2 with
# InvokeModel (python/example_code/bedrock-runtime/models/meta_llama/llama2/invoke_model.py):
# the [INST] prompt, max_gen_len and temperature, and the `generation` it prints. Written for
# these tests in the same shape.
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

response = client.invoke_model(modelId=model_id, body=request)

model_response = json.loads(response["body"].read())

response_text = model_response["generation"]
print(response_text)
