/** The boto3 program for one request: the template, and the pieces the notebook export shares. */
import type { ModelFamily } from '../models/catalog.ts';
import { unreachable } from '../unreachable.ts';
import { comment, fileConstants, PHRASES, py } from './phrases.ts';
import { code, file } from './template.ts';
import type { Code } from './template.ts';
import { headline } from './types.ts';
import type { ConverseCall, InvokeCall, RequestProgram } from './types.ts';

const { string } = PHRASES.python;

export function pythonProgram(p: RequestProgram): string {
  const { call } = p;
  return file(code`
    ${comment('python', headline(p))}

    ${call.api === 'invoke' && [p.files.length > 0 && 'import base64', 'import json', '']}
    import boto3
    from botocore.exceptions import ClientError

    ${fileConstants('python', p.files)}
    ${pythonClient(p.region, p.profile)}

    # Set the model ID, e.g., ${p.modelName}.
    model_id = ${string(p.modelId)}

    ${call.api === 'converse' ? converse(p, call) : invoke(p, call)}

    except (ClientError, Exception) as e:
        print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
        exit(1)
  `);
}

/** Creates `client`: with the default credential chain, or the named profile. */
export function pythonClient(region: string, profile: string | undefined): Code {
  if (profile !== undefined) {
    return code`
      # Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials
      # of a named profile from ~/.aws/config (never put access keys in code).
      session = boto3.Session(profile_name=${string(profile)})
      client = session.client("bedrock-runtime", region_name=${string(region)})
    `;
  }
  return code`
    # Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
    # through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
    # named profile, create it with boto3.Session(profile_name="my-profile").client(...).
    client = boto3.client("bedrock-runtime", region_name=${string(region)})
  `;
}

function converse(p: RequestProgram, call: ConverseCall): Code {
  const args = [
    'modelId=model_id,',
    'messages=conversation,',
    call.system && 'system=system,',
    call.inferenceConfig && 'inferenceConfig=inference_config,',
    call.additionalModelRequestFields &&
      'additionalModelRequestFields=additional_model_request_fields,',
  ];
  return code`
    ${
      call.system &&
      code`
      # The system prompt.
      system = ${py(call.system)}

    `
    }
    # The conversation, ending with the user message.
    conversation = ${py(call.messages)}

    ${
      call.inferenceConfig &&
      code`
      # The inference parameters.
      inference_config = ${py(call.inferenceConfig)}

    `
    }
    ${
      call.additionalModelRequestFields &&
      code`
      # Parameters of this model that Converse has no field for, passed to it as they are.
      additional_model_request_fields = ${py(call.additionalModelRequestFields)}

    `
    }
    try:
        # Send the conversation to the model.
        response = client.${PHRASES.python.call[p.operation]}(
            ${args}
        )

        ${p.streaming ? converseStreamLoop : converseAnswer}
  `;
}

const converseStreamLoop = code`
  # Print the answer as it arrives, then the token usage and latency.
  for event in response["stream"]:
      if "contentBlockDelta" in event:
          print(event["contentBlockDelta"]["delta"].get("text", ""), end="", flush=True)
      elif "metadata" in event:
          usage = event["metadata"]["usage"]
          latency_ms = event["metadata"]["metrics"]["latencyMs"]
          print("\n")
          print(f"Input tokens: {usage['inputTokens']}, output tokens: {usage['outputTokens']}")
          print(f"Latency: {latency_ms} ms")
`;

const converseAnswer = code`
  # Print the answer, then the token usage and latency.
  print(response["output"]["message"]["content"][0]["text"])
  usage = response["usage"]
  print()
  print(f"Input tokens: {usage['inputTokens']}, output tokens: {usage['outputTokens']}")
  print(f"Latency: {response['metrics']['latencyMs']} ms")
`;

function invoke(p: RequestProgram, call: InvokeCall): Code {
  return code`
    # Format the request payload using the model's native structure.
    native_request = ${py(call.body)}

    try:
        # Encode and send the request.
        response = client.${PHRASES.python.call[p.operation]}(
            modelId=model_id,
            body=json.dumps(native_request),
        )

        ${p.streaming ? invokeStreamLoop(call.family) : invokeAnswer(call.family)}
  `;
}

function invokeStreamLoop(family: ModelFamily): Code {
  return code`
    # Print the answer as it arrives; Bedrock adds the token usage and latency to the
    # last chunk.
    for event in response["body"]:
        chunk = json.loads(event["chunk"]["bytes"])
        ${pyNativeChunkText(family, code`print(text, end="", flush=True)`)}
        metrics = chunk.get("amazon-bedrock-invocationMetrics")
        if metrics:
            print("\n")
            print(f"Input tokens: {metrics['inputTokenCount']}, output tokens: {metrics['outputTokenCount']}")
            print(f"Latency: {metrics['invocationLatency']} ms")
  `;
}

function invokeAnswer(family: ModelFamily): Code {
  return code`
    # Decode the response body and print the answer, then the token usage.
    model_response = json.loads(response["body"].read())
    ${pyNativeResponse(family)}
    print(text)
    print()
    print(f"Input tokens: {input_tokens}, output tokens: {output_tokens}")
  `;
}

/** Sets `text` from one decoded native stream `chunk` when it carries some, then runs `sink`. */
export function pyNativeChunkText(family: ModelFamily, sink: Code): Code {
  switch (family) {
    case 'claude':
      return code`
        if chunk.get("type") == "content_block_delta":
            text = chunk["delta"].get("text", "")
            ${sink}
      `;
    case 'llama2':
    case 'llama3':
      return code`
        if chunk.get("generation"):
            text = chunk["generation"]
            ${sink}
      `;
    default:
      return unreachable(family);
  }
}

/** Sets `text`, `input_tokens` and `output_tokens` from a whole native `model_response`. */
export function pyNativeResponse(family: ModelFamily): Code {
  switch (family) {
    case 'claude':
      return code`
        text = "".join(block.get("text", "") for block in model_response["content"])
        usage = model_response["usage"]
        input_tokens, output_tokens = usage["input_tokens"], usage["output_tokens"]
      `;
    case 'llama2':
    case 'llama3':
      return code`
        text = model_response["generation"]
        input_tokens = model_response["prompt_token_count"]
        output_tokens = model_response["generation_token_count"]
      `;
    default:
      return unreachable(family);
  }
}
