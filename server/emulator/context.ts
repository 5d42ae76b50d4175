import type { EventEmitter } from 'node:events';
import type { Credentials } from './sigv4.ts';

/** The record of one streamed answer, shared with 'stream-start' / 'token' / 'stream-end'. */
export interface StreamRecord {
  id: number;
  operation: 'ConverseStream' | 'InvokeModelWithResponseStream';
  modelId: string;
  tokensSent: number;
  totalTokens: number;
  outcome: 'streaming' | 'complete' | 'client-closed' | 'fault';
}

/** A runtime request as the emulator received it (after authentication), for tests. */
export interface ReceivedRequest {
  /** The path's operation: `converse`, `converse-stream`, `invoke`, … */
  operation: string;
  /** The model id or ARN as the path named it. */
  modelId: string;
  /** The body exactly as sent. */
  body: Uint8Array;
}

/** Settings and shared state every handler reads. */
export interface EmulatorContext {
  speed: number;
  deny: ReadonlySet<string>;
  credentials: Credentials;
  /** The Bedrock API key accepted as `Authorization: Bearer …`. */
  bearerToken: string;
  events: EventEmitter;
  nextStreamId(): number;
  /** How often each `times=N` fault has fired, by model and message (see `faults.ts`). */
  faultCounts: Map<string, number>;
  /** Told of every runtime request received (a test option of `startEmulator`). */
  onRequest?: ((request: ReceivedRequest) => void) | undefined;
}
