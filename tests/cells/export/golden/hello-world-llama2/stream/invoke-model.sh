#!/usr/bin/env bash
# Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API. Exported from
# Bedrock Playground.
# The AWS CLI has no streaming form of ConverseStream or InvokeModelWithResponseStream, so this
# is the non-streaming call: the answer arrives all at once.
# The CLI finds credentials through the default chain (environment, ~/.aws, SSO, instance role);
# add --profile my-profile to use a named profile.
set -euo pipefail

# Send the native request body; the CLI writes the response body to invoke-model-output.json.
aws bedrock-runtime invoke-model \
  --region us-east-1 \
  --model-id meta.llama2-13b-chat-v1 \
  --content-type application/json \
  --cli-binary-format raw-in-base64-out \
  --body '{
  "prompt": "<s>[INST] Describe the purpose of a '\''hello world'\'' program in one line. [/INST]",
  "max_gen_len": 512,
  "temperature": 0.5
}' \
  invoke-model-output.json

# The answer is in the "generation" field, the token usage beside it.
cat invoke-model-output.json
echo
