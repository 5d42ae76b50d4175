import type { ModelFamily } from '../models/catalog.ts';
import type { CompiledRequest, ConverseInput } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { isRecord } from './layout.ts';
import { csharpString, csharpVerbatimJson, readableJson } from './literals.ts';
import { headline, modelFacts, nativeFamily } from './types.ts';
import type { ExportOptions } from './types.ts';

/** A string expression: one literal, or one per line joined with `+` when the text has lines. */
export function csharpText(value: string, indent: string): string {
  const lines = value.split(/(?<=\n)(?!\n)/);
  if (lines.length < 2 || value.length < 40) return csharpString(value);
  return lines.map(csharpString).join(`\n${indent}+ `);
}

/** A `Document` expression for a JSON value (Converse's AdditionalModelRequestFields). */
export function csharpDocument(value: unknown, indent: string): string {
  const inner = `${indent}    `;
  if (value === null || value === undefined) return 'new Document()';
  if (typeof value === 'boolean') return `new Document(${value})`;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      return `new Document(${Math.abs(value) <= 2 ** 31 - 1 ? value : `${value}L`})`;
    }
    return `new Document(${value}D)`;
  }
  if (typeof value === 'string') return `new Document(${csharpText(value, inner)})`;
  if (Array.isArray(value)) {
    const items = value.map((item) => `${inner}${csharpDocument(item, inner)},`);
    return `new Document(new List<Document>\n${indent}{\n${items.join('\n')}\n${indent}})`;
  }
  if (isRecord(value)) {
    const items = Object.entries(value).map(
      ([key, item]) => `${inner}[${csharpString(key)}] = ${csharpDocument(item, inner)},`,
    );
    return `new Document(new Dictionary<string, Document>\n${indent}{\n${items.join('\n')}\n${indent}})`;
  }
  return 'new Document()';
}

function requestInitializer(type: string, input: ConverseInput, indent: string): string[] {
  const i1 = `${indent}    `;
  const i2 = `${i1}    `;
  const i3 = `${i2}    `;
  const lines = [`${indent}var request = new ${type}`, `${indent}{`, `${i1}ModelId = modelId,`];
  if (input.system) {
    lines.push(`${i1}System = new List<SystemContentBlock>`, `${i1}{`);
    for (const block of input.system) {
      lines.push(`${i2}new SystemContentBlock { Text = ${csharpText(block.text, i3)} },`);
    }
    lines.push(`${i1}},`);
  }
  lines.push(`${i1}Messages = new List<Message>`, `${i1}{`);
  for (const message of input.messages) {
    const role = message.role === 'user' ? 'ConversationRole.User' : 'ConversationRole.Assistant';
    lines.push(
      `${i2}new Message`,
      `${i2}{`,
      `${i3}Role = ${role},`,
      `${i3}Content = new List<ContentBlock>`,
      `${i3}{`,
      ...message.content.map(
        (block) =>
          `${i3}    new ContentBlock { Text = ${csharpText(block.text, `${i3}        `)} },`,
      ),
      `${i3}},`,
      `${i2}},`,
    );
  }
  lines.push(`${i1}},`);
  const config = input.inferenceConfig;
  if (config) {
    lines.push(`${i1}InferenceConfig = new InferenceConfiguration`, `${i1}{`);
    if (config.maxTokens !== undefined) lines.push(`${i2}MaxTokens = ${config.maxTokens},`);
    if (config.temperature !== undefined) lines.push(`${i2}Temperature = ${config.temperature}F,`);
    if (config.topP !== undefined) lines.push(`${i2}TopP = ${config.topP}F,`);
    if (config.stopSequences !== undefined) {
      lines.push(
        `${i2}StopSequences = new List<string> { ${config.stopSequences.map(csharpString).join(', ')} },`,
      );
    }
    lines.push(`${i1}},`);
  }
  if (input.additionalModelRequestFields) {
    lines.push(
      `${i1}AdditionalModelRequestFields = ${csharpDocument(input.additionalModelRequestFields, i1)},`,
    );
  }
  lines.push(`${indent}};`);
  return lines;
}

function nativeChunkLines(family: ModelFamily, indent: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}if ((string)chunk["type"] == "content_block_delta")`,
        `${indent}{`,
        `${indent}    Console.Write((string)chunk["delta"]?["text"]);`,
        `${indent}}`,
      ];
    case 'llama2':
    case 'llama3':
      return [`${indent}Console.Write((string)chunk["generation"]);`];
    default:
      return unreachable(family);
  }
}

function nativeResponseLines(family: ModelFamily, indent: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}var text = string.Concat(modelResponse["content"].AsArray().Select(block => (string)block?["text"]));`,
        `${indent}var inputTokens = modelResponse["usage"]?["input_tokens"];`,
        `${indent}var outputTokens = modelResponse["usage"]?["output_tokens"];`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}var text = (string)modelResponse["generation"];`,
        `${indent}var inputTokens = modelResponse["prompt_token_count"];`,
        `${indent}var outputTokens = modelResponse["generation_token_count"];`,
      ];
    default:
      return unreachable(family);
  }
}

/**
 * A complete C# program for the AWS SDK for .NET (AWSSDK.BedrockRuntime). It is a classic
 * `Program` class with `static async Task Main` rather than top-level statements, so it builds
 * with every C# compiler from 7.1 on (and Mono's `mcs` can check it).
 */
export function exportCSharp(request: CompiledRequest, options: ExportOptions): string {
  const { name } = modelFacts(request.modelId);
  const usings = new Set([
    'System',
    'System.Threading.Tasks',
    'Amazon',
    'Amazon.BedrockRuntime',
    'Amazon.BedrockRuntime.Model',
  ]);
  const i2 = '        ';
  const i3 = '            ';
  const i4 = '                ';
  const body: string[] = [];
  const region = `RegionEndpoint.GetBySystemName(${csharpString(options.region)})`;
  if (options.profile === undefined) {
    body.push(
      `${i2}// Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials`,
      `${i2}// through the default chain (environment, ~/.aws, SSO, instance role); to use a named`,
      `${i2}// profile, read it with CredentialProfileStoreChain.TryGetAWSCredentials and pass it in.`,
      `${i2}var client = new AmazonBedrockRuntimeClient(${region});`,
    );
  } else {
    usings.add('Amazon.Runtime.CredentialManagement');
    body.push(
      `${i2}// Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials`,
      `${i2}// of a named profile from ~/.aws/config (never put access keys in code).`,
      `${i2}var profileName = ${csharpString(options.profile)};`,
      `${i2}if (!new CredentialProfileStoreChain().TryGetAWSCredentials(profileName, out var credentials))`,
      `${i2}{`,
      `${i3}Console.WriteLine($"ERROR: There is no AWS profile named '{profileName}'.");`,
      `${i3}Environment.Exit(1);`,
      `${i2}}`,
      `${i2}var client = new AmazonBedrockRuntimeClient(credentials, ${region});`,
    );
  }
  body.push(
    '',
    `${i2}// Set the model ID, e.g., ${name}.`,
    `${i2}var modelId = ${csharpString(request.modelId)};`,
    '',
  );

  switch (request.api) {
    case 'converse': {
      const { input } = request;
      usings.add('System.Collections.Generic');
      if (input.additionalModelRequestFields) usings.add('Amazon.Runtime.Documents');
      const type = options.streaming ? 'ConverseStreamRequest' : 'ConverseRequest';
      body.push(
        `${i2}// Create a request with the model ID, the conversation and the inference parameters.`,
        ...requestInitializer(type, input, i2),
        '',
        `${i2}try`,
        `${i2}{`,
        `${i3}// Send the request to the model and wait for the response.`,
      );
      if (options.streaming) {
        usings.add('System.Linq');
        body.push(
          `${i3}var response = await client.ConverseStreamAsync(request);`,
          '',
          `${i3}// Print the answer as it arrives, then the token usage and latency.`,
          `${i3}foreach (var chunk in response.Stream.AsEnumerable())`,
          `${i3}{`,
          `${i4}if (chunk is ContentBlockDeltaEvent delta)`,
          `${i4}{`,
          `${i4}    Console.Write(delta.Delta.Text);`,
          `${i4}}`,
          `${i4}else if (chunk is ConverseStreamMetadataEvent metadata)`,
          `${i4}{`,
          `${i4}    Console.WriteLine($"\\n\\nInput tokens: {metadata.Usage.InputTokens}, output tokens: {metadata.Usage.OutputTokens}");`,
          `${i4}    Console.WriteLine($"Latency: {metadata.Metrics.LatencyMs} ms");`,
          `${i4}}`,
          `${i3}}`,
        );
      } else {
        body.push(
          `${i3}var response = await client.ConverseAsync(request);`,
          '',
          `${i3}// Print the answer, then the token usage and latency.`,
          `${i3}Console.WriteLine(response.Output.Message.Content[0].Text);`,
          `${i3}Console.WriteLine($"\\nInput tokens: {response.Usage.InputTokens}, output tokens: {response.Usage.OutputTokens}");`,
          `${i3}Console.WriteLine($"Latency: {response.Metrics.LatencyMs} ms");`,
        );
      }
      break;
    }
    case 'invoke': {
      const family = nativeFamily(request);
      for (const u of ['System.IO', 'System.Text', 'System.Text.Json.Nodes']) usings.add(u);
      const type = options.streaming
        ? 'InvokeModelWithResponseStreamRequest'
        : 'InvokeModelRequest';
      body.push(
        `${i2}// Format the request payload using the model's native structure.`,
        `${i2}var nativeRequest = ${csharpVerbatimJson(readableJson(request.body, 2))};`,
        '',
        `${i2}// Create a request with the model ID and the encoded payload.`,
        `${i2}var request = new ${type}`,
        `${i2}{`,
        `${i2}    ModelId = modelId,`,
        `${i2}    ContentType = "application/json",`,
        `${i2}    Body = new MemoryStream(Encoding.UTF8.GetBytes(nativeRequest)),`,
        `${i2}};`,
        '',
        `${i2}try`,
        `${i2}{`,
        `${i3}// Send the request to the model and wait for the response.`,
      );
      if (options.streaming) {
        body.push(
          `${i3}var response = await client.InvokeModelWithResponseStreamAsync(request);`,
          '',
          `${i3}// Print the answer as it arrives; Bedrock adds the token usage and latency to the`,
          `${i3}// last chunk.`,
          `${i3}foreach (var item in response.Body)`,
          `${i3}{`,
          `${i4}var part = item as PayloadPart;`,
          `${i4}if (part == null)`,
          `${i4}{`,
          `${i4}    continue;`,
          `${i4}}`,
          `${i4}var chunk = JsonNode.Parse(part.Bytes);`,
          ...nativeChunkLines(family, i4),
          `${i4}var metrics = chunk["amazon-bedrock-invocationMetrics"];`,
          `${i4}if (metrics != null)`,
          `${i4}{`,
          `${i4}    var inputTokens = metrics["inputTokenCount"];`,
          `${i4}    var outputTokens = metrics["outputTokenCount"];`,
          `${i4}    var latency = metrics["invocationLatency"];`,
          `${i4}    Console.WriteLine($"\\n\\nInput tokens: {inputTokens}, output tokens: {outputTokens}");`,
          `${i4}    Console.WriteLine($"Latency: {latency} ms");`,
          `${i4}}`,
          `${i3}}`,
        );
      } else {
        if (family === 'claude') usings.add('System.Linq');
        body.push(
          `${i3}var response = await client.InvokeModelAsync(request);`,
          '',
          `${i3}// Decode the response body and print the answer, then the token usage.`,
          `${i3}var modelResponse = await JsonNode.ParseAsync(response.Body);`,
          ...nativeResponseLines(family, i3),
          `${i3}Console.WriteLine(text);`,
          `${i3}Console.WriteLine($"\\nInput tokens: {inputTokens}, output tokens: {outputTokens}");`,
        );
      }
      break;
    }
    default:
      return unreachable(request);
  }
  body.push(
    `${i2}}`,
    `${i2}catch (AmazonBedrockRuntimeException e)`,
    `${i2}{`,
    `${i3}Console.WriteLine($"ERROR: Can't invoke '{modelId}'. Reason: {e.Message}");`,
    `${i3}Environment.Exit(1);`,
    `${i2}}`,
  );
  const order = (u: string) => (u.startsWith('System') ? `0${u}` : `1${u}`);
  const lines = [
    ...headline(request, options.streaming, '//'),
    '// Needs the AWS SDK for .NET (the AWSSDK.BedrockRuntime package) and .NET 6 or later.',
    '',
    ...[...usings].sort((a, b) => order(a).localeCompare(order(b))).map((u) => `using ${u};`),
    '',
    'internal static class Program',
    '{',
    '    private static async Task Main()',
    '    {',
    ...body,
    '    }',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
