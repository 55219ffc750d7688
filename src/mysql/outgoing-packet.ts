/**
 * The minimal packet object mysql2's `connection.writePacket` accepts, for the commands dm-ts sends through
 * mysql2's internal command hook (binlog dump, raw streaming queries): the payload follows a 4-byte header
 * that `writeHeader` fills with the payload length and sequence id. mysql2 is pinned because of this hook.
 */
export class OutgoingPacket {
  /** `buffer` = 4 reserved header bytes + payload. */
  constructor(readonly buffer: Buffer) {}

  length(): number {
    return this.buffer.length;
  }

  writeHeader(sequenceId: number): void {
    this.buffer.writeUIntLE(this.buffer.length - 4, 0, 3);
    this.buffer[3] = sequenceId & 0xff;
  }
}
