/**
 * The Java 17 program for one request, for the AWS SDK for Java 2.x: a public class named after
 * the operation (save it as `<Operation>.java`). Native answers are read with org.json, as AWS's
 * own examples do.
 */
import type { ModelFamily } from '../models/catalog.ts';
import { unreachable } from '../unreachable.ts';
import { javaString, javaTextBlock, readableJson } from './literals.ts';
import { comment, fileConstants, PHRASES } from './phrases.ts';
import { javaDocument, javaText } from './java-values.ts';
import { code, file, join } from './template.ts';
import type { Code, Layout } from './template.ts';
import { filePlaces, headline, withoutFiles } from './types.ts';
import type {
  ContentPart,
  ConverseCall,
  FileSource,
  InvokeCall,
  ProgramMessage,
  RequestProgram,
  SystemPart,
} from './types.ts';

const MODEL = 'software.amazon.awssdk.services.bedrockruntime.model';

export function javaProgram(p: RequestProgram): string {
  const { call } = p;
  const clientClass = p.streaming ? 'BedrockRuntimeAsyncClient' : 'BedrockRuntimeClient';
  const needs =
    call.api === 'invoke'
      ? [
          '// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime), org.json',
          '// (org.json:json) and Java 17.',
        ]
      : '// Needs the AWS SDK for Java 2.x (software.amazon.awssdk:bedrockruntime) and Java 17.';
  const [sdkImports, javaImports] = importsOf(p, clientClass);
  return file(code`
    ${comment('java', headline(p))}
    ${needs}

    ${sdkImports.map((i) => `import ${i};`)}

    ${javaImports.length > 0 && [...javaImports.map((i) => `import ${i};`), '']}
    public class ${p.operation} {

        ${fileConstants('java', p.files)}
        public static void main(String[] args)${p.files.length > 0 && ' throws IOException'} {

            ${client(p, clientClass)}

            // Set the model ID, e.g., ${p.modelName}.
            var modelId = ${javaString(p.modelId)};

            ${call.api === 'converse' ? converse(p, call) : invoke(p, call)}
        }
    }
  `);
}

/** The SDK and org.json imports, then the java.* ones, each sorted. */
function importsOf(p: RequestProgram, clientClass: string): [string[], string[]] {
  const sdk = [
    'software.amazon.awssdk.regions.Region',
    `software.amazon.awssdk.services.bedrockruntime.${clientClass}`,
    p.profile === undefined
      ? 'software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider'
      : 'software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider',
  ];
  const java: string[] = [];
  const { call } = p;
  if (call.api === 'converse') {
    java.push('java.util.List');
    sdk.push(...['ContentBlock', 'ConversationRole', 'Message'].map((cls) => `${MODEL}.${cls}`));
    if (call.system) sdk.push(`${MODEL}.SystemContentBlock`);
    if (call.additionalModelRequestFields) {
      sdk.push('software.amazon.awssdk.core.document.Document');
    }
    const blocks = call.messages.flatMap((m) => m.content);
    if (blocks.some((b) => 'image' in b)) {
      sdk.push(...['ImageBlock', 'ImageFormat', 'ImageSource'].map((cls) => `${MODEL}.${cls}`));
    }
    if (blocks.some((b) => 'document' in b)) {
      sdk.push(
        ...['DocumentBlock', 'DocumentFormat', 'DocumentSource'].map((cls) => `${MODEL}.${cls}`),
      );
    }
    if (p.files.length > 0) {
      sdk.push('software.amazon.awssdk.core.SdkBytes');
      java.push('java.io.IOException', 'java.nio.file.Files', 'java.nio.file.Path');
    }
  } else {
    sdk.push('software.amazon.awssdk.core.SdkBytes', 'org.json.JSONObject');
    if (p.files.length > 0) {
      java.push(
        'java.io.IOException',
        'java.nio.file.Files',
        'java.nio.file.Path',
        'java.util.Base64',
      );
    }
  }
  if (p.streaming) {
    const handler =
      call.api === 'converse'
        ? 'ConverseStreamResponseHandler'
        : 'InvokeModelWithResponseStreamResponseHandler';
    sdk.push(`${MODEL}.${handler}`);
    java.push('java.util.concurrent.ExecutionException');
  } else {
    sdk.push('software.amazon.awssdk.core.exception.SdkException');
  }
  return [sdk.sort(), java.sort()];
}

function client(p: RequestProgram, clientClass: string): Code {
  const region = code`
            .region(Region.of(${javaString(p.region)}))
            .build();
  `;
  if (p.profile === undefined) {
    return code`
      // Create a Bedrock Runtime client in the AWS Region you want to use. The default
      // credentials provider looks in the environment, ~/.aws, SSO and the instance role; to
      // use a named profile, replace it with ProfileCredentialsProvider.create("my-profile").
      var client = ${clientClass}.builder()
              .credentialsProvider(DefaultCredentialsProvider.builder().build())
              ${region}
    `;
  }
  return code`
    // Create a Bedrock Runtime client in the AWS Region you want to use, with the
    // credentials of a named profile from ~/.aws/config (never put access keys in code).
    var client = ${clientClass}.builder()
            .credentialsProvider(ProfileCredentialsProvider.create(${javaString(p.profile)}))
            ${region}
  `;
}

function converse(p: RequestProgram, call: ConverseCall): Code {
  const request = converseRequest(call);
  const method = PHRASES.java.call[p.operation];
  return code`
    // The conversation, ending with the user message.
    var conversation = List.of(
            ${join(call.messages.map(message), ',')});

    ${
      p.streaming
        ? code`
          ${converseHandler}

          try {
              // Send the conversation to the model and wait until the answer has streamed.
              client.${method}(request -> request
                      ${request}, handler).get();
          ${catchFailure('ExecutionException | InterruptedException', causeMessage)}
        `
        : code`
          try {
              // Send the conversation to the model.
              var response = client.${method}(request -> request
                      ${request});

              // Print the answer, then the token usage and latency.
              System.out.println(response.output().message().content().get(0).text());
              System.out.printf("%nInput tokens: %d, output tokens: %d%n", response.usage().inputTokens(), response.usage().outputTokens());
              System.out.printf("Latency: %d ms%n", response.metrics().latencyMs());
          ${catchFailure('SdkException', 'e.getMessage()')}
        `
    }
  `;
}

const causeMessage = 'e.getCause() != null ? e.getCause().getMessage() : e.getMessage()';

/** The end of the try block: the catch that names the model, and exits. */
function catchFailure(exceptions: string, reason: string): Code {
  return code`
    } catch (${exceptions} e) {
        System.err.printf("ERROR: Can't invoke '%s'. Reason: %s%n", modelId, ${reason});
        System.exit(1);
    }
  `;
}

function message(m: ProgramMessage): Code {
  const role = m.role === 'user' ? 'ConversationRole.USER' : 'ConversationRole.ASSISTANT';
  const blocks: Layout = ({ indent }) => {
    const next = `${indent}        `;
    return m.content
      .map((block, i) => contentBlock(block, indent, i === 0 ? indent : next))
      .join(`,\n${next}`);
  };
  return code`
    Message.builder()
            .role(${role})
            .content(${blocks})
            .build()
  `;
}

/**
 * One content block of a message, starting on a line indented by `indent`; a long text continues
 * from `textIndent`. Attachments are read from the file their constant names when it runs.
 */
function contentBlock(block: ContentPart, textIndent: string, indent: string): string {
  if ('text' in block) return `ContentBlock.fromText(${javaText(block.text, textIndent)})`;
  const part =
    'image' in block
      ? code`
        ContentBlock.fromImage(ImageBlock.builder()
                .format(ImageFormat.${block.image.format.toUpperCase()})
                .source(ImageSource.fromBytes(${readBytes(block.image.source)}))
                .build())
      `
      : code`
        ContentBlock.fromDocument(DocumentBlock.builder()
                .format(DocumentFormat.${block.document.format.toUpperCase()})
                .name(${javaString(block.document.name)})
                .source(DocumentSource.fromBytes(${readBytes(block.document.source)}))
                .build())
      `;
  return part.render(indent).slice(indent.length);
}

function readBytes(source: FileSource): string {
  return `SdkBytes.fromByteArray(Files.readAllBytes(Path.of(${source.bytes.constant})))`;
}

/** The request builder's calls after `request -> request`. */
function converseRequest(call: ConverseCall): Code {
  const config = call.inferenceConfig;
  const settings: Layout | undefined =
    config &&
    (({ indent }) =>
      [
        config.maxTokens !== undefined && `.maxTokens(${config.maxTokens})`,
        config.temperature !== undefined && `.temperature(${config.temperature}F)`,
        config.topP !== undefined && `.topP(${config.topP}F)`,
        config.stopSequences !== undefined &&
          `.stopSequences(List.of(${config.stopSequences.map(javaString).join(', ')}))`,
      ]
        .filter((setting) => setting !== false)
        .map((setting) => `\n${indent}        ${setting}`)
        .join(''));
  const fields = call.additionalModelRequestFields;
  return code`
    .modelId(modelId)
    .messages(conversation)
    ${call.system && code`.system(${systemBlocks(call.system)})`}
    ${settings && code`.inferenceConfig(config -> config${settings})`}
    ${fields && code`.additionalModelRequestFields(${({ indent }) => javaDocument(fields, indent)})`}
  `;
}

function systemBlocks(system: SystemPart[]): Layout {
  return ({ indent }) =>
    system
      .map((block) => `SystemContentBlock.fromText(${javaText(block.text, `${indent}        `)})`)
      .join(`,\n${indent}        `);
}

const converseHandler = code`
  // Print the answer as it arrives, then the token usage and latency.
  var handler = ConverseStreamResponseHandler.builder()
          .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                  .onContentBlockDelta(event -> {
                      var text = event.delta().text();
                      if (text != null) {
                          System.out.print(text);
                      }
                  })
                  .onMetadata(event -> {
                      System.out.printf("%n%nInput tokens: %d, output tokens: %d%n", event.usage().inputTokens(), event.usage().outputTokens());
                      System.out.printf("Latency: %d ms%n", event.metrics().latencyMs());
                  })
                  .build())
          .build();
`;

function invoke(p: RequestProgram, call: InvokeCall): Code {
  const method = PHRASES.java.call[p.operation];
  const body: Layout = ({ indent }) =>
    javaTextBlock(readableJson(withoutFiles(call.body), 2), `${indent}        `);
  const places = filePlaces(call.body);
  return code`
    ${
      places.length > 0
        ? code`
          // Format the request payload using the model's native structure, then put each
          // file's bytes, base64-encoded, where the body takes them.
          var withFiles = new JSONObject(${body});
          ${places.map(({ path, file }) => javaPut(path, file.constant))}
          var nativeRequest = withFiles.toString();
        `
        : code`
          // Format the request payload using the model's native structure.
          var nativeRequest = ${body};
        `
    }

    ${p.streaming ? invokeStream(call.family, method) : invokeAnswer(call.family, method)}
  `;
}

/** `withFiles.…put(key, base64 of the file)` along a path of keys and indexes. */
function javaPut(path: (string | number)[], constant: string): string {
  const literal = (step: string | number) =>
    typeof step === 'number' ? String(step) : javaString(step);
  // Each step reads an array when the next step is an index, else an object.
  const chain = path
    .slice(0, -1)
    .map(
      (step, i) =>
        `.${typeof path[i + 1] === 'number' ? 'getJSONArray' : 'getJSONObject'}(${literal(step)})`,
    )
    .join('');
  const read = `Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(${constant})))`;
  return `withFiles${chain}.put(${literal(path.at(-1)!)}, ${read});`;
}

function invokeStream(family: ModelFamily, method: string): Code {
  return code`
    // Print the answer as it arrives; Bedrock adds the token usage and latency to the
    // last chunk.
    var handler = InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                    .onChunk(part -> {
                        var chunk = new JSONObject(part.bytes().asUtf8String());
                        ${nativeChunkText(family)}
                        var metrics = chunk.optJSONObject("amazon-bedrock-invocationMetrics");
                        if (metrics != null) {
                            System.out.printf("%n%nInput tokens: %d, output tokens: %d%n", metrics.getInt("inputTokenCount"), metrics.getInt("outputTokenCount"));
                            System.out.printf("Latency: %d ms%n", metrics.getLong("invocationLatency"));
                        }
                    })
                    .build())
            .build();

    try {
        // Encode and send the request, and wait until the answer has streamed.
        client.${method}(request -> request
                .modelId(modelId)
                .contentType("application/json")
                .body(SdkBytes.fromUtf8String(nativeRequest)), handler).get();
    ${catchFailure('ExecutionException | InterruptedException', causeMessage)}
  `;
}

function invokeAnswer(family: ModelFamily, method: string): Code {
  return code`
    try {
        // Encode and send the request.
        var response = client.${method}(request -> request
                .modelId(modelId)
                .contentType("application/json")
                .body(SdkBytes.fromUtf8String(nativeRequest)));

        // Decode the response body and print the answer, then the token usage.
        var modelResponse = new JSONObject(response.body().asUtf8String());
        ${nativeResponse(family)}
        System.out.println(text);
        System.out.printf("%nInput tokens: %d, output tokens: %d%n", inputTokens, outputTokens);
    ${catchFailure('SdkException', 'e.getMessage()')}
  `;
}

/** Prints the text of one parsed native stream `chunk`. */
function nativeChunkText(family: ModelFamily): Code {
  switch (family) {
    case 'claude':
      return code`
        if ("content_block_delta".equals(chunk.optString("type"))) {
            System.out.print(chunk.getJSONObject("delta").optString("text"));
        }
      `;
    case 'llama2':
    case 'llama3':
      return code`
        if (!chunk.isNull("generation")) {
            System.out.print(chunk.getString("generation"));
        }
      `;
    default:
      return unreachable(family);
  }
}

/** Declares `text`, `inputTokens` and `outputTokens` from a whole native `modelResponse`. */
function nativeResponse(family: ModelFamily): Code {
  switch (family) {
    case 'claude':
      return code`
        var text = new StringBuilder();
        var content = modelResponse.getJSONArray("content");
        for (var i = 0; i < content.length(); i++) {
            text.append(content.getJSONObject(i).optString("text"));
        }
        var usage = modelResponse.getJSONObject("usage");
        var inputTokens = usage.getInt("input_tokens");
        var outputTokens = usage.getInt("output_tokens");
      `;
    case 'llama2':
    case 'llama3':
      return code`
        var text = modelResponse.getString("generation");
        var inputTokens = modelResponse.getInt("prompt_token_count");
        var outputTokens = modelResponse.getInt("generation_token_count");
      `;
    default:
      return unreachable(family);
  }
}
