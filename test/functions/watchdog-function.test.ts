/** The watchdog Lambda entry point itself, cold-started from its environment, on dynalite; SNS mocked. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoSampleStore } from '../../shared/adapters/dynamo/sample-store.js';
import { LOCAL_TABLE, localDynamoClient } from '../../local/runtime/emulators.js';
import { TOPICS, coldStart, useFunctionEnvironment } from '../helpers/lambda-env.js';

const sns = mockClient(SNSClient);
const env = useFunctionEnvironment();

describe('functions/watchdog/handler.ts, cold-started from its environment', () => {
  it('announces an online station whose latest sample is long past, to operations only', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const doc = documentClient(localDynamoClient(env.emulators().dynamoEndpoint));
    const time = Date.now() - 3 * 86_400_000;
    await new DynamoSampleStore(doc, LOCAL_TABLE).putSamples([{
      sample: { site: 'zhaoniuhe', registered: true, time, values: { NH3N: 0.5 }, flags: {}, interval: 'hour', source: { file: 'x.log', line: 1 } },
      fileId: 'raw/incoming/x.log', fileVersion: 'v1', grade: 'II', cwqi: 0.5, compliant: true,
    }]);
    doc.destroy();
    const { handler } = await coldStart<{ handler: () => Promise<{ stations: number; silent: string[] }> }>('../../functions/watchdog/handler.js');
    const result = await handler();
    expect(result.silent).toEqual(['zhaoniuhe']);
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ TopicArn: TOPICS.operations });
  });
});
