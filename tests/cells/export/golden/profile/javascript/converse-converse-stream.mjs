// Send a prompt to Claude 3 Haiku through the Converse API, printing the answer as it streams.
// Exported from Bedrock Playground.
// Run it as an ES module (e.g. saved as a .mjs file) with @aws-sdk/client-bedrock-runtime
// installed.

import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { fromIni } from "@aws-sdk/credential-providers";

// Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials
// of a named profile from ~/.aws/config (never put access keys in code).
const client = new BedrockRuntimeClient({
  region: "eu-west-3",
  credentials: fromIni({ profile: "bedrock-dev" }),
});

// Set the model ID, e.g., Claude 3 Haiku.
const modelId = "anthropic.claude-3-haiku-20240307-v1:0";

// The system prompt.
const system = [{ text: "Please respond to all requests in the style of a pirate." }];

// The conversation, ending with the user message.
const conversation = [
  {
    role: "user",
    content: [
      {
        text: "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer",
      },
    ],
  },
];

// Create a command with the model ID, the conversation and the inference parameters.
const command = new ConverseStreamCommand({
  modelId,
  messages: conversation,
  system,
  inferenceConfig: { maxTokens: 2000, temperature: 0 },
});

try {
  // Send the command to the model and wait for the response.
  const response = await client.send(command);

  // Print the answer as it arrives, then the token usage and latency.
  for await (const event of response.stream) {
    if (event.contentBlockDelta) {
      process.stdout.write(event.contentBlockDelta.delta?.text ?? "");
    } else if (event.metadata) {
      const { usage, metrics } = event.metadata;
      console.log(`\n\nInput tokens: ${usage?.inputTokens}, output tokens: ${usage?.outputTokens}`);
      console.log(`Latency: ${metrics?.latencyMs} ms`);
    }
  }
} catch (err) {
  console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);
  process.exit(1);
}
