import type { ModelFamily } from '../models/catalog.ts';
import type { CompiledRequest, ConverseInput } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { isRecord } from './layout.ts';
import { javaString, javaTextBlock, readableJson } from './literals.ts';
import { headline, modelFacts, nativeFamily, operationOf } from './types.ts';
import type { ExportOptions } from './types.ts';

const MODEL = 'software.amazon.awssdk.services.bedrockruntime.model';

/** A string expression: one literal, or one per line joined with `+` when the text has lines. */
export function javaText(value: string, indent: string): string {
  const lines = value.split(/(?<=\n)(?!\n)/);
  if (lines.length < 2 || value.length < 40) return javaString(value);
  return lines.map(javaString).join(`\n${indent}+ `);
}

function javaNumber(value: number): string {
  if (Number.isInteger(value)) {
    return Math.abs(value) <= 2 ** 31 - 1 ? String(value) : `${value}L`;
  }
  return String(value);
}

/** A `Document` expression for a JSON value (Converse's additionalModelRequestFields). */
export function javaDocument(value: unknown, indent: string): string {
  const inner = `${indent}        `;
  if (value === null || value === undefined) return 'Document.fromNull()';
  if (typeof value === 'boolean') return `Document.fromBoolean(${value})`;
  if (typeof value === 'number') return `Document.fromNumber(${javaNumber(value)})`;
  if (typeof value === 'string') return `Document.fromString(${javaText(value, inner)})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'Document.fromList(List.of())';
    const items = value.map((item) => `${inner}.addDocument(${javaDocument(item, inner)})`);
    return `Document.listBuilder()\n${items.join('\n')}\n${inner}.build()`;
  }
  if (isRecord(value)) {
    const items = Object.entries(value).map(
      ([key, item]) => `${inner}.putDocument(${javaString(key)}, ${javaDocument(item, inner)})`,
    );
    return `Document.mapBuilder()\n${items.join('\n')}\n${inner}.build()`;
  }
  return 'Document.fromNull()';
}

function javaFloat(value: number): string {
  return `${value}F`;
}

/** The request-builder lambda body lines for a Converse input (after `request -> request`). */
function converseRequestLines(input: ConverseInput, indent: string): string[] {
  const lines = [`${indent}.modelId(modelId)`, `${indent}.messages(conversation)`];
  if (input.system) {
    const blocks = input.system.map(
      (block) => `SystemContentBlock.fromText(${javaText(block.text, `${indent}        `)})`,
    );
    lines.push(`${indent}.system(${blocks.join(`,\n${indent}        `)})`);
  }
  const config = input.inferenceConfig;
  if (config) {
    const parts: string[] = [];
    if (config.maxTokens !== undefined) parts.push(`.maxTokens(${config.maxTokens})`);
    if (config.temperature !== undefined)
      parts.push(`.temperature(${javaFloat(config.temperature)})`);
    if (config.topP !== undefined) parts.push(`.topP(${javaFloat(config.topP)})`);
    if (config.stopSequences !== undefined) {
      parts.push(`.stopSequences(List.of(${config.stopSequences.map(javaString).join(', ')}))`);
    }
    lines.push(
      `${indent}.inferenceConfig(config -> config${parts.map((p) => `\n${indent}        ${p}`).join('')})`,
    );
  }
  if (input.additionalModelRequestFields) {
    lines.push(
      `${indent}.additionalModelRequestFields(${javaDocument(input.additionalModelRequestFields, indent)})`,
    );
  }
  return lines;
}

function conversationLines(input: ConverseInput, indent: string): string[] {
  const messages = input.messages.map((message) => {
    const role = message.role === 'user' ? 'ConversationRole.USER' : 'ConversationRole.ASSISTANT';
    const blocks = message.content.map(
      (block) =>
        `ContentBlock.fromText(${javaText(block.text, `${indent}                + `.slice(0, -2))})`,
    );
    return [
      `${indent}        Message.builder()`,
      `${indent}                .role(${role})`,
      `${indent}                .content(${blocks.join(`,\n${indent}                        `)})`,
      `${indent}                .build()`,
    ].join('\n');
  });
  return [`${indent}var conversation = List.of(`, `${messages.join(',\n')});`];
}

/** Statements (in a lambda or block) that print the text of one parsed native chunk. */
function nativeChunkLines(family: ModelFamily, indent: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}if ("content_block_delta".equals(chunk.optString("type"))) {`,
        `${indent}    System.out.print(chunk.getJSONObject("delta").optString("text"));`,
        `${indent}}`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}if (!chunk.isNull("generation")) {`,
        `${indent}    System.out.print(chunk.getString("generation"));`,
        `${indent}}`,
      ];
    default:
      return unreachable(family);
  }
}

function nativeResponseLines(family: ModelFamily, indent: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}var text = new StringBuilder();`,
        `${indent}var content = modelResponse.getJSONArray("content");`,
        `${indent}for (var i = 0; i < content.length(); i++) {`,
        `${indent}    text.append(content.getJSONObject(i).optString("text"));`,
        `${indent}}`,
        `${indent}var usage = modelResponse.getJSONObject("usage");`,
        `${indent}var inputTokens = usage.getInt("input_tokens");`,
        `${indent}var outputTokens = usage.getInt("output_tokens");`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}var text = modelResponse.getString("generation");`,
        `${indent}var inputTokens = modelResponse.getInt("prompt_token_count");`,
        `${indent}var outputTokens = modelResponse.getInt("generation_token_count");`,
      ];
    default:
      return unreachable(family);
  }
}

function printUsage(indent: string, gap: string, input: string, output: string): string {
  return `${indent}System.out.printf("${gap}Input tokens: %d, output tokens: %d%n", ${input}, ${output});`;
}

function printLatency(indent: string, latency: string): string {
  return `${indent}System.out.printf("Latency: %d ms%n", ${latency});`;
}

/**
 * A complete Java 17 program for the AWS SDK for Java 2.x: a public class named after the
 * operation (save it as `<Operation>.java`). Native answers are read with org.json, as AWS's own
 * examples do.
 */
export function exportJava(request: CompiledRequest, options: ExportOptions): string {
  const { name } = modelFacts(request.modelId);
  const operation = operationOf(request, options.streaming);
  const async = options.streaming;
  const clientClass = async ? 'BedrockRuntimeAsyncClient' : 'BedrockRuntimeClient';
  const imports = new Set<string>([
    'software.amazon.awssdk.regions.Region',
    `software.amazon.awssdk.services.bedrockruntime.${clientClass}`,
    options.profile === undefined
      ? 'software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider'
      : 'software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider',
  ]);
  const javaImports = new Set<string>();
  const body: string[] = [];
  const i2 = '        ';
  const i3 = '            ';

  if (options.profile === undefined) {
    body.push(
      `${i2}// Create a Bedrock Runtime client in the AWS Region you want to use. The default`,
      `${i2}// credentials provider looks in the environment, ~/.aws, SSO and the instance role; to`,
      `${i2}// use a named profile, replace it with ProfileCredentialsProvider.create("my-profile").`,
      `${i2}var client = ${clientClass}.builder()`,
      `${i2}        .credentialsProvider(DefaultCredentialsProvider.create())`,
    );
  } else {
    body.push(
      `${i2}// Create a Bedrock Runtime client in the AWS Region you want to use, with the`,
      `${i2}// credentials of a named profile from ~/.aws/config (never put access keys in code).`,
      `${i2}var client = ${clientClass}.builder()`,
      `${i2}        .credentialsProvider(ProfileCredentialsProvider.create(${javaString(options.profile)}))`,
    );
  }
  body.push(
    `${i2}        .region(Region.of(${javaString(options.region)}))`,
    `${i2}        .build();`,
    '',
    `${i2}// Set the model ID, e.g., ${name}.`,
    `${i2}var modelId = ${javaString(request.modelId)};`,
    '',
  );
  const fail = (cause: string) => [
    `${i3}System.err.printf("ERROR: Can't invoke '%s'. Reason: %s%n", modelId, ${cause});`,
    `${i3}System.exit(1);`,
  ];

  switch (request.api) {
    case 'converse': {
      const { input } = request;
      javaImports.add('java.util.List');
      for (const cls of ['ContentBlock', 'ConversationRole', 'Message'])
        imports.add(`${MODEL}.${cls}`);
      if (input.system) imports.add(`${MODEL}.SystemContentBlock`);
      if (input.additionalModelRequestFields)
        imports.add('software.amazon.awssdk.core.document.Document');
      body.push(
        `${i2}// The conversation, ending with the user message.`,
        ...conversationLines(input, i2),
        '',
      );
      const requestLines = converseRequestLines(input, `${i2}            `);
      if (async) {
        imports.add(`${MODEL}.ConverseStreamResponseHandler`);
        javaImports.add('java.util.concurrent.ExecutionException');
        body.push(
          `${i2}// Print the answer as it arrives, then the token usage and latency.`,
          `${i2}var handler = ConverseStreamResponseHandler.builder()`,
          `${i2}        .subscriber(ConverseStreamResponseHandler.Visitor.builder()`,
          `${i2}                .onContentBlockDelta(event -> {`,
          `${i2}                    var text = event.delta().text();`,
          `${i2}                    if (text != null) {`,
          `${i2}                        System.out.print(text);`,
          `${i2}                    }`,
          `${i2}                })`,
          `${i2}                .onMetadata(event -> {`,
          printUsage(
            `${i2}                    `,
            '%n%n',
            'event.usage().inputTokens()',
            'event.usage().outputTokens()',
          ),
          printLatency(`${i2}                    `, 'event.metrics().latencyMs()'),
          `${i2}                })`,
          `${i2}                .build())`,
          `${i2}        .build();`,
          '',
          `${i2}try {`,
          `${i3}// Send the conversation to the model and wait until the answer has streamed.`,
          `${i3}client.converseStream(request -> request`,
          ...requestLines.slice(0, -1),
          `${requestLines.at(-1)!}, handler).get();`,
          `${i2}} catch (ExecutionException | InterruptedException e) {`,
          ...fail('e.getCause() != null ? e.getCause().getMessage() : e.getMessage()'),
          `${i2}}`,
        );
      } else {
        imports.add('software.amazon.awssdk.core.exception.SdkException');
        body.push(
          `${i2}try {`,
          `${i3}// Send the conversation to the model.`,
          `${i3}var response = client.converse(request -> request`,
          ...requestLines.slice(0, -1),
          `${requestLines.at(-1)!});`,
          '',
          `${i3}// Print the answer, then the token usage and latency.`,
          `${i3}System.out.println(response.output().message().content().get(0).text());`,
          printUsage(i3, '%n', 'response.usage().inputTokens()', 'response.usage().outputTokens()'),
          printLatency(i3, 'response.metrics().latencyMs()'),
          `${i2}} catch (SdkException e) {`,
          ...fail('e.getMessage()'),
          `${i2}}`,
        );
      }
      break;
    }
    case 'invoke': {
      const family = nativeFamily(request);
      imports.add('software.amazon.awssdk.core.SdkBytes');
      imports.add('org.json.JSONObject');
      body.push(
        `${i2}// Format the request payload using the model's native structure.`,
        `${i2}var nativeRequest = ${javaTextBlock(readableJson(request.body, 2), `${i2}        `)};`,
        '',
      );
      if (async) {
        imports.add(`${MODEL}.InvokeModelWithResponseStreamResponseHandler`);
        javaImports.add('java.util.concurrent.ExecutionException');
        const i5 = `${i2}                    `;
        body.push(
          `${i2}// Print the answer as it arrives; Bedrock adds the token usage and latency to the`,
          `${i2}// last chunk.`,
          `${i2}var handler = InvokeModelWithResponseStreamResponseHandler.builder()`,
          `${i2}        .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()`,
          `${i2}                .onChunk(part -> {`,
          `${i5}var chunk = new JSONObject(part.bytes().asUtf8String());`,
          ...nativeChunkLines(family, i5),
          `${i5}var metrics = chunk.optJSONObject("amazon-bedrock-invocationMetrics");`,
          `${i5}if (metrics != null) {`,
          printUsage(
            `${i5}    `,
            '%n%n',
            'metrics.getInt("inputTokenCount")',
            'metrics.getInt("outputTokenCount")',
          ),
          printLatency(`${i5}    `, 'metrics.getLong("invocationLatency")'),
          `${i5}}`,
          `${i2}                })`,
          `${i2}                .build())`,
          `${i2}        .build();`,
          '',
          `${i2}try {`,
          `${i3}// Encode and send the request, and wait until the answer has streamed.`,
          `${i3}client.invokeModelWithResponseStream(request -> request`,
          `${i3}        .modelId(modelId)`,
          `${i3}        .contentType("application/json")`,
          `${i3}        .body(SdkBytes.fromUtf8String(nativeRequest)), handler).get();`,
          `${i2}} catch (ExecutionException | InterruptedException e) {`,
          ...fail('e.getCause() != null ? e.getCause().getMessage() : e.getMessage()'),
          `${i2}}`,
        );
      } else {
        imports.add('software.amazon.awssdk.core.exception.SdkException');
        body.push(
          `${i2}try {`,
          `${i3}// Encode and send the request.`,
          `${i3}var response = client.invokeModel(request -> request`,
          `${i3}        .modelId(modelId)`,
          `${i3}        .contentType("application/json")`,
          `${i3}        .body(SdkBytes.fromUtf8String(nativeRequest)));`,
          '',
          `${i3}// Decode the response body and print the answer, then the token usage.`,
          `${i3}var modelResponse = new JSONObject(response.body().asUtf8String());`,
          ...nativeResponseLines(family, i3),
          `${i3}System.out.println(text);`,
          printUsage(i3, '%n', 'inputTokens', 'outputTokens'),
          `${i2}} catch (SdkException e) {`,
          ...fail('e.getMessage()'),
          `${i2}}`,
        );
      }
      break;
    }
    default:
      return unreachable(request);
  }

  const needs =
    request.api === 'invoke'
      ? [
          '// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime), org.json',
          '// (org.json:json) and Java 17.',
        ]
      : ['// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime) and Java 17.'];
  const lines = [
    ...headline(request, options.streaming, '//'),
    ...needs,
    '',
    ...[...imports].sort().map((i) => `import ${i};`),
    '',
    ...[...javaImports].sort().map((i) => `import ${i};`),
    ...(javaImports.size ? [''] : []),
    `public class ${operation} {`,
    '',
    '    public static void main(String[] args) {',
    '',
    ...body,
    '    }',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
