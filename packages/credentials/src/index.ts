export * from './keyring';
export * from './verifiable-credential';
export * from './key-store';
