import { networkInterfaces } from 'node:os';

/**
 * The MAC and IP that 9001 asks for (signIn.mac, signIn.ip; 20 characters each): the first
 * external IPv4 interface, or loopback values on a machine without one (the sandbox accepts them).
 */
export function hostIdentity(): { mac: string; ip: string } {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal && address.mac !== '00:00:00:00:00:00') {
        return { mac: address.mac.toUpperCase(), ip: address.address };
      }
    }
  }
  return { mac: '00:00:00:00:00:00', ip: '127.0.0.1' };
}
