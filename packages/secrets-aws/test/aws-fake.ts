import { type FakeServer, startFakeServer } from '@resilient/testing';

/** A version of a secret in the fake, with its stages. */
export interface FakeVersion {
  readonly id: string;
  readonly value: string;
  stages: string[];
}

/** A fake AWS Secrets Manager speaking the JSON 1.1 protocol (GetSecretValue only). */
export interface FakeSecretsManager {
  readonly server: FakeServer;
  readonly requests: { target: string | undefined; body: Record<string, unknown> }[];
  /** `ok`, a connection reset (`down`), or an AWS error for every request. */
  mode: 'ok' | 'down' | { readonly type: string; readonly status: number };
  put(name: string, value: string): void;
  /** AWS rotation: the new version becomes AWSCURRENT, the old one AWSPREVIOUS. */
  rotate(name: string, value: string): void;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, FakeVersion[]>();
  let counter = 0;
  const fake: Omit<FakeSecretsManager, 'server'> = {
    requests: [],
    mode: 'ok',
    put(name, value) {
      secrets.set(name, [{ id: `v${++counter}`, value, stages: ['AWSCURRENT'] }]);
    },
    rotate(name, value) {
      const versions = secrets.get(name) ?? [];
      for (const version of versions) {
        version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
      }
      versions.push({ id: `v${++counter}`, value, stages: ['AWSCURRENT'] });
      secrets.set(name, versions);
    },
  };
  const error = (status: number, type: string, message: string) => ({
    type: 'respond' as const,
    response: {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' },
      body: JSON.stringify({ __type: type, message }),
    },
  });
  const server = await startFakeServer(async (request) => {
    const target = request.headers['x-amz-target'] as string | undefined;
    const body = JSON.parse(request.body || '{}') as Record<string, unknown>;
    fake.requests.push({ target, body });
    if (fake.mode === 'down') return { type: 'destroy' };
    if (fake.mode !== 'ok') return error(fake.mode.status, fake.mode.type, `refused: ${fake.mode.type}`);
    if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return error(400, 'UnknownOperationException', 'unknown operation');
    }
    const id = String(body.SecretId);
    const name = id.startsWith('arn:') ? id.split(':secret:')[1]!.replace(/-[A-Za-z0-9]{6}$/, '') : id;
    const stage = typeof body.VersionStage === 'string' ? body.VersionStage : 'AWSCURRENT';
    const version = secrets.get(name)?.find((candidate) => candidate.stages.includes(stage));
    if (version === undefined) {
      return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return {
      type: 'respond',
      response: {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-2' },
        body: JSON.stringify({
          ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`,
          Name: name,
          SecretString: version.value,
          VersionId: version.id,
          VersionStages: version.stages,
          CreatedDate: 1_767_225_600,
        }),
      },
    };
  });
  return Object.assign(fake, { server }) as FakeSecretsManager;
}
