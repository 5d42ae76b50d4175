// Send a prompt to Claude 3 Haiku through the Converse API. Exported from Bedrock Playground.
// Run it as an ES module (e.g. saved as a .mjs file) with @aws-sdk/client-bedrock-runtime
// installed.

import {
  BedrockRuntimeClient,
  ConverseCommand,
} from "@aws-sdk/client-bedrock-runtime";

// Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
// through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
// named profile, pass `credentials: fromIni({ profile: "my-profile" })` from
// "@aws-sdk/credential-providers".
const client = new BedrockRuntimeClient({ region: "us-east-1" });

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
const command = new ConverseCommand({
  modelId,
  messages: conversation,
  system,
  inferenceConfig: { maxTokens: 2000, temperature: 0 },
});

try {
  // Send the command to the model and wait for the response.
  const response = await client.send(command);

  // Print the answer, then the token usage and latency.
  console.log(response.output.message.content[0].text);
  console.log(`\nInput tokens: ${response.usage.inputTokens}, output tokens: ${response.usage.outputTokens}`);
  console.log(`Latency: ${response.metrics.latencyMs} ms`);
} catch (err) {
  console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);
  process.exit(1);
}
