// Send a prompt to Llama 2 13B Chat through the model's native InvokeModel API, printing the
// answer as it streams. Exported from Bedrock Playground.
// Run it as an ES module (e.g. saved as a .mjs file) with @aws-sdk/client-bedrock-runtime
// installed.

import {
  BedrockRuntimeClient,
  InvokeModelWithResponseStreamCommand,
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
  prompt: "<s>[INST] <<SYS>>\n" +
    "Please respond to all requests in the style of a pirate.\n" +
    "<</SYS>>\n\n" +
    "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer [/INST]",
  max_gen_len: 2000,
  temperature: 0,
};

// Create a command with the model ID and the encoded request.
const command = new InvokeModelWithResponseStreamCommand({
  modelId,
  contentType: "application/json",
  body: JSON.stringify(nativeRequest),
});

try {
  // Send the command to the model and wait for the response.
  const response = await client.send(command);

  // Print the answer as it arrives; Bedrock adds the token usage and latency to the last
  // chunk.
  for await (const event of response.body) {
    const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
    if (chunk.generation) {
      const text = chunk.generation;
      process.stdout.write(text);
    }
    const metrics = chunk["amazon-bedrock-invocationMetrics"];
    if (metrics) {
      console.log(`\n\nInput tokens: ${metrics.inputTokenCount}, output tokens: ${metrics.outputTokenCount}`);
      console.log(`Latency: ${metrics.invocationLatency} ms`);
    }
  }
} catch (err) {
  console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);
  process.exit(1);
}
