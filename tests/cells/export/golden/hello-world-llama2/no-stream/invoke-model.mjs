// Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API. Exported from
// Bedrock Playground.
// Run it as an ES module (e.g. saved as a .mjs file) with @aws-sdk/client-bedrock-runtime
// installed.

import {
  BedrockRuntimeClient,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";

// Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
// through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
// named profile, pass `credentials: fromIni({ profile: "my-profile" })` from
// "@aws-sdk/credential-providers".
const client = new BedrockRuntimeClient({ region: "us-east-1" });

// Set the model ID, e.g., Llama 2 13B Chat.
const modelId = "meta.llama2-13b-chat-v1";

// Format the request payload using the model's native structure.
const nativeRequest = {
  prompt: "<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]",
  max_gen_len: 512,
  temperature: 0.5,
};

// Create a command with the model ID and the encoded request.
const command = new InvokeModelCommand({
  modelId,
  contentType: "application/json",
  body: JSON.stringify(nativeRequest),
});

try {
  // Send the command to the model and wait for the response.
  const response = await client.send(command);

  // Decode the response body and print the answer, then the token usage.
  const modelResponse = JSON.parse(new TextDecoder().decode(response.body));
  const text = modelResponse.generation;
  const inputTokens = modelResponse.prompt_token_count;
  const outputTokens = modelResponse.generation_token_count;
  console.log(text);
  console.log(`\nInput tokens: ${inputTokens}, output tokens: ${outputTokens}`);
} catch (err) {
  console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);
  process.exit(1);
}
