// Hello world, Llama 2: exported from Bedrock Playground.
// The cells run in order. Each target keeps its own conversation, so later prompts see that
// model's own earlier answers, as in the playground. Run it as an ES module (a .mjs file).

import {
  BedrockRuntimeClient,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";

// Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
// through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
// named profile, pass `credentials: fromIni({ profile: "my-profile" })` from
// "@aws-sdk/credential-providers".
const client = new BedrockRuntimeClient({ region: "us-east-1" });

// The models this notebook compares.
const TARGETS = {};

// One conversation per target, and the context that system and config cells set.
let conversations = Object.fromEntries(Object.keys(TARGETS).map((id) => [id, []]));
let system;
let inferenceConfig = {};
let additionalFields = {};

/** Sends a native body through InvokeModelWithResponseStream; prints the answer and returns its text. */
async function sendNative(modelId, family, body) {
  const response = await client.send(
    new InvokeModelWithResponseStreamCommand({
      modelId,
      contentType: "application/json",
      body: JSON.stringify(body),
    }),
  );
  let answer = "";
  for await (const event of response.body) {
    const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
    if (family === "llama2") {
      if (chunk.generation) {
        const text = chunk.generation;
        process.stdout.write(text);
        answer += text;
      }
    }
    const metrics = chunk["amazon-bedrock-invocationMetrics"];
    if (metrics) {
      console.log();
      console.log(`\nInput tokens: ${metrics.inputTokenCount}, output tokens: ${metrics.outputTokenCount}`);
      console.log(`Latency: ${metrics.invocationLatency} ms`);
    }
  }
  return answer;
}

/** The Llama native body: the rendered prompt plus the parameters Llama takes. */
function llamaBody(prompt, inferenceConfig, fields, maxGenLenLimit) {
  const body = { prompt };
  if (inferenceConfig.maxTokens !== undefined) {
    body.max_gen_len = Math.min(inferenceConfig.maxTokens, maxGenLenLimit);
  }
  if (inferenceConfig.temperature !== undefined) body.temperature = inferenceConfig.temperature;
  if (inferenceConfig.topP !== undefined) body.top_p = inferenceConfig.topP;
  for (const [key, value] of Object.entries(fields)) {
    if (["max_gen_len", "temperature", "top_p"].includes(key)) body[key] = value;
  }
  return body;
}

/** Meta's Llama 2 chat template: <<SYS>> in the first [INST], one <s>…</s> per exchange. */
function llama2Prompt(messages, system) {
  const texts = messages.map((m) => m.content[0].text);
  const users = texts.filter((_, i) => i % 2 === 0);
  const answers = texts.filter((_, i) => i % 2 === 1);
  if (system) users[0] = `<<SYS>>\n${system}\n<</SYS>>\n\n${users[0]}`;
  let prompt = "";
  answers.forEach((answer, i) => {
    prompt += `<s>[INST] ${users[i].trim()} [/INST] ${answer.trim()} </s>`;
  });
  return `${prompt}<s>[INST] ${users.at(-1).trim()} [/INST]`;
}

/** Sends one target its conversation with the current context; returns the answer. */
async function ask(targetId) {
  const target = TARGETS[targetId];
  const messages = conversations[targetId];
  const fields = additionalFields[targetId] ?? {};
  console.log(`\n--- ${target.label} ---`);
  try {
    if (target.family === "llama2") {
      return await sendNative(target.modelId, target.family, llamaBody(llama2Prompt(messages, system), inferenceConfig, fields, target.maxTokensLimit));
    }
    throw new Error(`no way to call ${target.modelId}`);
  } catch (err) {
    console.log(`ERROR: Can't invoke '${target.modelId}'. Reason: ${err}`);
    process.exit(1);
  }
}

/** Sends a native cell's body exactly as written. */
async function runNative(label, modelId, family, body) {
  console.log(`\n--- ${label} ---`);
  try {
    return await sendNative(modelId, family, body);
  } catch (err) {
    console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);
    process.exit(1);
  }
}

// Cell 1: markdown "intro"
// # Hello world, Llama 2
//
// A raw native cell: the InvokeModel body for Llama 2 13B Chat, sent exactly as written.
// The prompt already carries Llama 2's chat template (`<s>[INST] … [/INST]`), and
// `max_gen_len` is Llama's name for the answer's token limit.

// Cell 2: native "hello"
await runNative("Llama 2 13B Chat", "meta.llama2-13b-chat-v1", "llama2", {
  prompt: "<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]",
  max_gen_len: 512,
  temperature: 0.5,
});
