export {
  AwsSecretsManagerError,
  type AwsSecretsManagerFailure,
} from './aws-secrets-manager-error';
export { type AwsSecretsManagerSourceOptions, awsSecretsManagerSource } from './aws-secrets-manager-source';
