#!/usr/bin/env bash
# Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API. Exported from
# Bedrock Playground.
# The AWS CLI has no streaming form of ConverseStream or InvokeModelWithResponseStream, so this
# is the non-streaming call: the answer arrives all at once.
# It uses the credentials of a named profile from ~/.aws/config (never put access keys in a
# script).
set -euo pipefail

# Send the native request body; the CLI writes the response body to invoke-model-output.json.
aws bedrock-runtime invoke-model \
  --region eu-west-3 \
  --profile bedrock-dev \
  --model-id meta.llama2-13b-chat-v1 \
  --content-type application/json \
  --cli-binary-format raw-in-base64-out \
  --body '{
  "prompt": "<s>[INST] <<SYS>>\nPlease respond to all requests in the style of a pirate.\n<</SYS>>\n\nWrite an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer [/INST]",
  "max_gen_len": 2000,
  "temperature": 0
}' \
  invoke-model-output.json

# The answer is in the "generation" field, the token usage beside it.
cat invoke-model-output.json
echo
