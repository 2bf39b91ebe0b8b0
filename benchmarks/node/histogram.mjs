// A histogram of durations in nanoseconds, log-linear as HdrHistogram's: exact below 128 ns, then 64
// buckets per power of two, so a percentile is within 1.6% of the recorded value. Fixed size, so
// recording allocates nothing, and histograms of several processes add up bucket by bucket.

const LINEAR = 128;
const PER_OCTAVE = 64;
const OCTAVES = 57; // up to 2^64 ns

export class Histogram {
  constructor(counts = new Float64Array(LINEAR + PER_OCTAVE * OCTAVES)) {
    this.counts = counts;
    this.total = 0;
    this.sum = 0;
    this.sumOfSquares = 0;
    this.max = 0;
  }

  record(nanos) {
    const v = Math.max(0, Math.round(nanos));
    this.counts[index(v)]++;
    this.total++;
    this.sum += v;
    this.sumOfSquares += v * v;
    if (v > this.max) this.max = v;
  }

  /** Adds `other` (a Histogram, or what toJSON made of one) to this one. */
  add(other) {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
    this.sum += other.sum;
    this.sumOfSquares += other.sumOfSquares;
    this.max = Math.max(this.max, other.max);
  }

  /** The value at `percentile` (0 to 100): the middle of its bucket, never above the max. */
  at(percentile) {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(middle(i), this.max);
    }
    return this.max;
  }

  mean() {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  stdev() {
    if (this.total === 0) return 0;
    const mean = this.mean();
    return Math.sqrt(Math.max(0, this.sumOfSquares / this.total - mean * mean));
  }

  /** For the parent process, over IPC. */
  toJSON() {
    return { counts: Array.from(this.counts), total: this.total, sum: this.sum, sumOfSquares: this.sumOfSquares,
      max: this.max };
  }
}

function index(v) {
  if (v < LINEAR) return v;
  let octave = Math.floor(Math.log2(v)); // 7 and up
  if (2 ** octave > v) octave--; // log2 may round up just below a power of two
  else if (2 ** (octave + 1) <= v) octave++;
  const shift = octave - 6;
  const mantissa = Math.floor(v / 2 ** shift); // 64 to 127
  return LINEAR + (octave - 7) * PER_OCTAVE + (mantissa - PER_OCTAVE);
}

function middle(i) {
  if (i < LINEAR) return i;
  const octave = 7 + Math.floor((i - LINEAR) / PER_OCTAVE);
  const mantissa = PER_OCTAVE + ((i - LINEAR) % PER_OCTAVE);
  const width = 2 ** (octave - 6);
  return mantissa * width + width / 2;
}
