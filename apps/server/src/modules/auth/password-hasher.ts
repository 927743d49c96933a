import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes); the parameters travel in the hash. */
// 2 = Argon2id (the package's enum is a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** Spend the same time on an unknown user name as on a known one, so timing does not reveal which. */
export async function burnVerify(password: string): Promise<void> {
  dummy ??= hashPassword('dangan-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
}
