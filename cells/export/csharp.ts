/**
 * The C# program for one request, for the AWS SDK for .NET (AWSSDK.BedrockRuntime). It is a
 * classic `Program` class with `static async Task Main` rather than top-level statements, so it
 * builds with every C# compiler from 7.1 on (and Mono's `mcs` can check it).
 */
import type { ModelFamily } from '../models/catalog.ts';
import { unreachable } from '../unreachable.ts';
import { isRecord } from './layout.ts';
import { csharpString, csharpVerbatimJson, readableJson } from './literals.ts';
import { comment, fileConstants, PHRASES } from './phrases.ts';
import { code, file } from './template.ts';
import type { Code, Layout } from './template.ts';
import { filePlaces, headline, withoutFiles } from './types.ts';
import type {
  ContentPart,
  ConverseCall,
  FileSource,
  InvokeCall,
  ProgramMessage,
  RequestProgram,
} from './types.ts';

export function csharpProgram(p: RequestProgram): string {
  const { call } = p;
  return file(code`
    ${comment('csharp', headline(p))}
    // Needs the AWS SDK for .NET (the AWSSDK.BedrockRuntime package) and .NET 6 or later.

    ${usingsOf(p).map((u) => `using ${u};`)}

    internal static class Program
    {
        ${fileConstants('csharp', p.files)}
        private static async Task Main()
        {
            ${client(p)}

            // Set the model ID, e.g., ${p.modelName}.
            var modelId = ${csharpString(p.modelId)};

            ${call.api === 'converse' ? converse(p, call) : invoke(p, call)}
            }
            catch (AmazonBedrockRuntimeException e)
            {
                Console.WriteLine($"ERROR: Can't invoke '{modelId}'. Reason: {e.Message}");
                Environment.Exit(1);
            }
        }
    }
  `);
}

/** The namespaces the program uses: System's first, each part sorted. */
function usingsOf(p: RequestProgram): string[] {
  const { call } = p;
  const usings = new Set([
    'System',
    'System.Threading.Tasks',
    'Amazon',
    'Amazon.BedrockRuntime',
    'Amazon.BedrockRuntime.Model',
  ]);
  if (p.profile !== undefined) usings.add('Amazon.Runtime.CredentialManagement');
  if (p.files.length > 0) usings.add('System.IO');
  if (call.api === 'converse') {
    usings.add('System.Collections.Generic');
    if (call.additionalModelRequestFields) usings.add('Amazon.Runtime.Documents');
    if (p.streaming) usings.add('System.Linq');
  } else {
    for (const u of ['System.IO', 'System.Text', 'System.Text.Json.Nodes']) usings.add(u);
    if (!p.streaming && call.family === 'claude') usings.add('System.Linq');
  }
  const order = (u: string) => (u.startsWith('System') ? `0${u}` : `1${u}`);
  return [...usings].sort((a, b) => order(a).localeCompare(order(b)));
}

function client(p: RequestProgram): Code {
  const region = `RegionEndpoint.GetBySystemName(${csharpString(p.region)})`;
  if (p.profile === undefined) {
    return code`
      // Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
      // through the default chain (environment, ~/.aws, SSO, instance role); to use a named
      // profile, read it with CredentialProfileStoreChain.TryGetAWSCredentials and pass it in.
      var client = new AmazonBedrockRuntimeClient(${region});
    `;
  }
  return code`
    // Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials
    // of a named profile from ~/.aws/config (never put access keys in code).
    var profileName = ${csharpString(p.profile)};
    if (!new CredentialProfileStoreChain().TryGetAWSCredentials(profileName, out var credentials))
    {
        Console.WriteLine($"ERROR: There is no AWS profile named '{profileName}'.");
        Environment.Exit(1);
    }
    var client = new AmazonBedrockRuntimeClient(credentials, ${region});
  `;
}

function converse(p: RequestProgram, call: ConverseCall): Code {
  const type = p.streaming ? 'ConverseStreamRequest' : 'ConverseRequest';
  return code`
    // Create a request with the model ID, the conversation and the inference parameters.
    var request = new ${type}
    {
        ModelId = modelId,
        ${
          call.system &&
          code`
          System = new List<SystemContentBlock>
          {
              ${call.system.map((block) => code`new SystemContentBlock { Text = ${text(block.text)} },`)}
          },
        `
        }
        Messages = new List<Message>
        {
            ${call.messages.map(message)}
        },
        ${inferenceConfig(call)}
        ${call.additionalModelRequestFields && code`AdditionalModelRequestFields = ${document(call.additionalModelRequestFields)},`}
    };

    try
    {
        // Send the request to the model and wait for the response.
        var response = await client.${PHRASES.csharp.call[p.operation]}(request);

        ${p.streaming ? converseStream : converseAnswer}
  `;
}

function message(m: ProgramMessage): Code {
  const role = m.role === 'user' ? 'ConversationRole.User' : 'ConversationRole.Assistant';
  return code`
    new Message
    {
        Role = ${role},
        Content = new List<ContentBlock>
        {
            ${m.content.map(contentBlock)}
        },
    },
  `;
}

/** One content block of a message; attachments are read from their files when it runs. */
function contentBlock(block: ContentPart): Code {
  if ('text' in block) return code`new ContentBlock { Text = ${text(block.text)} },`;
  if ('image' in block) {
    const { format, source } = block.image;
    return code`
      new ContentBlock
      {
          Image = new ImageBlock
          {
              Format = ImageFormat.${pascal(format)},
              Source = new ImageSource { Bytes = ${readBytes(source)} },
          },
      },
    `;
  }
  const { format, name, source } = block.document;
  return code`
    new ContentBlock
    {
        Document = new DocumentBlock
        {
            Format = DocumentFormat.${pascal(format)},
            Name = ${csharpString(name)},
            Source = new DocumentSource { Bytes = ${readBytes(source)} },
        },
    },
  `;
}

function readBytes(source: FileSource): string {
  return `new MemoryStream(File.ReadAllBytes(${source.bytes.constant}))`;
}

/** `png` → `Png`: how the SDK's constant classes name a format. */
function pascal(format: string): string {
  return format.charAt(0).toUpperCase() + format.slice(1);
}

function inferenceConfig(call: ConverseCall): Code | undefined {
  const config = call.inferenceConfig;
  if (!config) return undefined;
  const stops = config.stopSequences;
  return code`
    InferenceConfig = new InferenceConfiguration
    {
        ${config.maxTokens !== undefined && `MaxTokens = ${config.maxTokens},`}
        ${config.temperature !== undefined && `Temperature = ${config.temperature}F,`}
        ${config.topP !== undefined && `TopP = ${config.topP}F,`}
        ${stops !== undefined && `StopSequences = new List<string> { ${stops.map(csharpString).join(', ')} },`}
    },
  `;
}

const converseStream = code`
  // Print the answer as it arrives, then the token usage and latency.
  foreach (var chunk in response.Stream.AsEnumerable())
  {
      if (chunk is ContentBlockDeltaEvent delta)
      {
          Console.Write(delta.Delta.Text);
      }
      else if (chunk is ConverseStreamMetadataEvent metadata)
      {
          Console.WriteLine($"\n\nInput tokens: {metadata.Usage.InputTokens}, output tokens: {metadata.Usage.OutputTokens}");
          Console.WriteLine($"Latency: {metadata.Metrics.LatencyMs} ms");
      }
  }
`;

const converseAnswer = code`
  // Print the answer, then the token usage and latency.
  Console.WriteLine(response.Output.Message.Content[0].Text);
  Console.WriteLine($"\nInput tokens: {response.Usage.InputTokens}, output tokens: {response.Usage.OutputTokens}");
  Console.WriteLine($"Latency: {response.Metrics.LatencyMs} ms");
`;

function invoke(p: RequestProgram, call: InvokeCall): Code {
  const type = p.streaming ? 'InvokeModelWithResponseStreamRequest' : 'InvokeModelRequest';
  const places = filePlaces(call.body);
  return code`
    // Format the request payload using the model's native structure.
    var nativeRequest = ${csharpVerbatimJson(readableJson(withoutFiles(call.body), 2))};
    ${
      places.length > 0 &&
      code`

      // Put each file's bytes, base64-encoded, where the body takes them.
      var withFiles = JsonNode.Parse(nativeRequest);
      ${places.map(
        ({ path, file }) =>
          `withFiles${path
            .map((step) => `[${typeof step === 'number' ? step : csharpString(step)}]`)
            .join('')} = Convert.ToBase64String(File.ReadAllBytes(${file.constant}));`,
      )}
      nativeRequest = withFiles.ToJsonString();
    `
    }

    // Create a request with the model ID and the encoded payload.
    var request = new ${type}
    {
        ModelId = modelId,
        ContentType = "application/json",
        Body = new MemoryStream(Encoding.UTF8.GetBytes(nativeRequest)),
    };

    try
    {
        // Send the request to the model and wait for the response.
        var response = await client.${PHRASES.csharp.call[p.operation]}(request);

        ${p.streaming ? invokeStream(call.family) : invokeAnswer(call.family)}
  `;
}

function invokeStream(family: ModelFamily): Code {
  return code`
    // Print the answer as it arrives; Bedrock adds the token usage and latency to the
    // last chunk.
    foreach (var item in response.Body)
    {
        var part = item as PayloadPart;
        if (part == null)
        {
            continue;
        }
        var chunk = JsonNode.Parse(part.Bytes);
        ${nativeChunkText(family)}
        var metrics = chunk["amazon-bedrock-invocationMetrics"];
        if (metrics != null)
        {
            var inputTokens = metrics["inputTokenCount"];
            var outputTokens = metrics["outputTokenCount"];
            var latency = metrics["invocationLatency"];
            Console.WriteLine($"\n\nInput tokens: {inputTokens}, output tokens: {outputTokens}");
            Console.WriteLine($"Latency: {latency} ms");
        }
    }
  `;
}

function invokeAnswer(family: ModelFamily): Code {
  return code`
    // Decode the response body and print the answer, then the token usage.
    var modelResponse = await JsonNode.ParseAsync(response.Body);
    ${nativeResponse(family)}
    Console.WriteLine(text);
    Console.WriteLine($"\nInput tokens: {inputTokens}, output tokens: {outputTokens}");
  `;
}

/** Prints the text of one parsed native stream `chunk`. */
function nativeChunkText(family: ModelFamily): Code {
  switch (family) {
    case 'claude':
      return code`
        if ((string)chunk["type"] == "content_block_delta")
        {
            Console.Write((string)chunk["delta"]?["text"]);
        }
      `;
    case 'llama2':
    case 'llama3':
      return code`Console.Write((string)chunk["generation"]);`;
    default:
      return unreachable(family);
  }
}

/** Declares `text`, `inputTokens` and `outputTokens` from a whole native `modelResponse`. */
function nativeResponse(family: ModelFamily): Code {
  switch (family) {
    case 'claude':
      return code`
        var text = string.Concat(modelResponse["content"].AsArray().Select(block => (string)block?["text"]));
        var inputTokens = modelResponse["usage"]?["input_tokens"];
        var outputTokens = modelResponse["usage"]?["output_tokens"];
      `;
    case 'llama2':
    case 'llama3':
      return code`
        var text = (string)modelResponse["generation"];
        var inputTokens = modelResponse["prompt_token_count"];
        var outputTokens = modelResponse["generation_token_count"];
      `;
    default:
      return unreachable(family);
  }
}

/** A string expression laid out on its line: one literal, or one per line joined with `+`. */
function text(value: string): Layout {
  return ({ indent }) => csharpText(value, `${indent}    `);
}

/** A `Document` expression for a JSON value, laid out on its line. */
function document(value: unknown): Layout {
  return ({ indent }) => csharpDocument(value, indent);
}

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
