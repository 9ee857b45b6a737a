import { describe, expect, it } from 'vitest';
import { fanOutTargets, indexableTopics, subscriptionDiff, topicPublishInstanceId } from './topic.js';

describe('topic subscriber index logic', () => {
  it('indexes only valid topic names, once each', () => {
    expect(indexableTopics(['risks', 'risks', 'a b', 'markets.eu'])).toEqual(['risks', 'markets.eu']);
  });

  it('computes what the index gains and loses when subscriptions change', () => {
    expect(subscriptionDiff(['a', 'b'], ['b', 'c'])).toEqual({ add: ['c'], remove: ['a'] });
    expect(subscriptionDiff([], [])).toEqual({ add: [], remove: [] });
  });

  it('fans out to each candidate once, in a stable order, without the excluded publisher', () => {
    expect(fanOutTargets(['zed', 'amy', 'zed', 'bob'], ['bob'])).toEqual(['amy', 'zed']);
  });

  it('derives the publication instance id from topic and publication id', () => {
    const id = topicPublishInstanceId('risks', 'pub-1');
    expect(id).toBe(topicPublishInstanceId('risks', 'pub-1'));
    expect(id).not.toBe(topicPublishInstanceId('risks', 'pub-2'));
    expect(id).not.toBe(topicPublishInstanceId('other', 'pub-1'));
    expect(id).toMatch(/^topic-risks-[0-9a-f]{32}$/);
  });
});
