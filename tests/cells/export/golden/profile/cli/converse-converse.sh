#!/usr/bin/env bash
# Send a prompt to Claude 3 Haiku through the Converse API. Exported from Bedrock Playground.
# The AWS CLI has no streaming form of ConverseStream or InvokeModelWithResponseStream, so this
# is the non-streaming call: the answer arrives all at once.
# It uses the credentials of a named profile from ~/.aws/config (never put access keys in a
# script).
set -euo pipefail

# Send the conversation; the answer is in output.message.content, with usage and latency.
aws bedrock-runtime converse \
  --region eu-west-3 \
  --profile bedrock-dev \
  --model-id anthropic.claude-3-haiku-20240307-v1:0 \
  --messages '[
  {
    "role": "user",
    "content": [
      {
        "text": "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer"
      }
    ]
  }
]' \
  --system '[
  {
    "text": "Please respond to all requests in the style of a pirate."
  }
]' \
  --inference-config '{
  "maxTokens": 2000,
  "temperature": 0
}' \
  --output json
