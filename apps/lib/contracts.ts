/**
 * Typed event contracts on the producing side: each topic's JSON Schema comes from the model,
 * rendered into the producer's ConfigMap as `KAFKA_SCHEMA_<TOPIC>` (docs/event-contracts.md), and every
 * record is checked against it before it is sent, as a consumer will parse it (the JSON text of the
 * value). A record that does not validate is never written: the send fails with
 * ContractViolationError naming the topic, the record and each field.
 */
import type { Message, TopicMessages } from 'kafkajs';
import type { ValidateFunction } from 'ajv';
import type { EnvSchema } from './config.ts';
import { toFieldErrors, type FieldError } from './errors.ts';
import { compileRecordSchema } from './record-schema.ts';
import type { EventSink } from './producer.ts';

export class ContractViolationError extends Error {
  readonly code = 'CONTRACT_VIOLATION';
  readonly topic: string;
  readonly errors: FieldError[];
  constructor(topic: string, index: number, errors: FieldError[]) {
    super(`record ${index} for ${topic} breaks the topic's schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    this.name = 'ContractViolationError';
    this.topic = topic;
    this.errors = errors;
  }
}

/** `player.events.raw` → `KAFKA_SCHEMA_PLAYER_EVENTS_RAW` (the rendered ConfigMap's key). */
export function schemaVariable(topic: string): string {
  return `KAFKA_SCHEMA_${topic.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** The env schema fragment: the schema variable of each topic the service produces, required. */
export function contractsSchema(...topicVariables: string[]): EnvSchema {
  const vars = topicVariables.map((v) => v.replace(/^KAFKA_TOPIC_/, 'KAFKA_SCHEMA_'));
  return { type: 'object', properties: Object.fromEntries(vars.map((v) => [v, { type: 'string', minLength: 2 }])), required: vars };
}

/** Compile a schema text; the problem names the variable (for loadConfig's refine). */
function compile(variable: string, text: string): ValidateFunction | string {
  try {
    return compileRecordSchema(JSON.parse(text) as object);
  } catch (e) {
    return `${variable} is not a usable JSON Schema: ${(e as Error).message}`;
  }
}

export class TopicContracts {
  private readonly validators = new Map<string, ValidateFunction>();

  /**
   * From the config: `topics` maps each produced topic's name variable (`KAFKA_TOPIC_X`) to nothing;
   * its schema is `KAFKA_SCHEMA_X`. Throws listing every unusable schema (run it in loadConfig's refine via `contractProblems`).
   */
  constructor(config: object, topicVariables: string[]) {
    const env = config as Record<string, string>;
    const problems: string[] = [];
    for (const v of topicVariables) {
      const variable = v.replace(/^KAFKA_TOPIC_/, 'KAFKA_SCHEMA_');
      const validate = compile(variable, env[variable] ?? '');
      if (typeof validate === 'string') problems.push(validate);
      else this.validators.set(env[v], validate);
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  /** The field errors of one record value (its JSON text), or none. A topic without a contract is refused. */
  problems(topic: string, value: Message['value']): FieldError[] {
    const validate = this.validators.get(topic);
    if (!validate) return [{ in: 'value', path: '/', message: `no schema for topic ${topic}: it is not among the topics this service produces` }];
    let parsed: unknown;
    try {
      parsed = JSON.parse(value == null ? '' : value.toString());
    } catch (e) {
      return [{ in: 'value', path: '/', message: `is not JSON: ${(e as Error).message}` }];
    }
    return validate(parsed) ? [] : toFieldErrors('value', validate.errors ?? []);
  }

  /** Throw ContractViolationError for the first record that does not validate. */
  check(topicMessages: TopicMessages[]): void {
    for (const { topic, messages } of topicMessages)
      for (let i = 0; i < messages.length; i++) {
        const errors = this.problems(topic, messages[i].value);
        if (errors.length > 0) throw new ContractViolationError(topic, i, errors);
      }
  }
}

/** loadConfig's refine: every produced topic's schema parses and compiles. */
export function contractProblems(config: object, topicVariables: string[]): string[] {
  try {
    new TopicContracts(config, topicVariables);
    return [];
  } catch (e) {
    return (e as Error).message.split('\n');
  }
}

/** A sink that checks every record against its topic's contract before handing it on. */
export function validatingSink(sink: EventSink, contracts: TopicContracts): EventSink {
  return {
    send: async (topicMessages) => {
      contracts.check(topicMessages);
      return sink.send(topicMessages);
    },
    isReady: () => sink.isReady(),
  };
}
