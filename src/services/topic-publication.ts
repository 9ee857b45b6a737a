/** Starting a publication's `topic-publish` orchestration, idempotently: its instance id is derived from the topic and the publication id. */
import type { DurableClient } from 'durable-functions';
import { TOPIC_PUBLISH_NAME, topicPublishInstanceId, type TopicPublishInput } from '../domain/index.js';

export type PublicationClient = Pick<DurableClient, 'startNew' | 'getStatus'>;

async function exists(client: PublicationClient, instanceId: string): Promise<boolean> {
  try {
    await client.getStatus(instanceId);
    return true;
  } catch (err) {
    // durable-functions reports an unknown instance as an Error naming the HTTP 404 it got.
    if (err instanceof Error && /\b404\b/.test(err.message)) return false;
    throw err;
  }
}

/** Starts the fan-out unless an instance of this publication exists (it then does, or did, the work): `started: false`. */
export async function startPublication(client: PublicationClient, publication: TopicPublishInput): Promise<{ instanceId: string; started: boolean }> {
  const instanceId = topicPublishInstanceId(publication.topic, publication.event.id);
  if (await exists(client, instanceId)) return { instanceId, started: false };
  try {
    await client.startNew(TOPIC_PUBLISH_NAME, { instanceId, input: publication });
    return { instanceId, started: true };
  } catch (err) {
    // Started concurrently by a retry or a re-POST: the instance exists, which is what we wanted.
    if (await exists(client, instanceId)) return { instanceId, started: false };
    throw err;
  }
}
