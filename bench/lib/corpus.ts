// Realistic-looking text for the search benchmark: words drawn with a Zipf distribution
// (rank r has weight 1/r) from a vocabulary of common English words followed by made-up
// words, deterministic for one seed so that every run searches the same corpus.

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Most frequent first, as in running English text; then words of the communes' own world.
const COMMON = `the of and to a in is it you that he was for on are with as his they be at one
have this from or had by hot but some what there we can out other were all your when up use
word how said an each she which do their time if will way about many then them would write
like so these her long make thing see him two has look more day could go come did my sound no
most number who over know water than call first people may down side been now find any new
work part take get place made live where after back little only round man year came show every
good me give our under name very through just form much great think say help low line before
turn cause same mean differ move right boy old too does tell sentence set three want air well
also play small end put home read hand port large spell add even land here must big high such
follow act why ask men change went light kind off need house picture try us again animal point
mother world near build self earth father head stand own page should country found answer school
grow study still learn plant cover food sun four thought let keep eye never last door between
city tree cross since hard start might story saw far sea draw left late run while press close
night real life few stop open seem together next white children begin got walk example ease
paper often always music those both mark book letter until mile river car feet care second group
carry took rain eat room friend began idea fish mountain north once base hear horse cut sure
watch color face wood main enough plain girl usual young ready above ever red list though feel
talk bird soon body dog family direct pose leave song measure state product black short numeral
class wind question happen complete ship area half rock order fire south problem piece told knew
pass farm top whole king size heard best hour better true during hundred am remember step early
hold west ground interest reach fast five sing listen six table travel less morning ten simple
several vowel toward war lay against pattern slow center love person money serve appear road
map science rule govern pull cold notice voice fall power town fine certain fly unit lead cry
dark machine note wait plan figure star box noun field rest correct able pound done beauty drive
stood contain front teach week final gave green oh quick develop sleep warm free minute strong
special mind behind clear tail produce fact street inch lot nothing course stay wheel full force
blue object decide surface deep moon island foot yet busy test record boat common gold possible
plane age dry wonder laugh thousand ago ran check game shape yes cool miss brought heat snow bed
bring sit perhaps fill east weight language among garden compost seed harvest soil orchard bread
kitchen commune bicycle repair workshop solar panel carpentry sewing knitting beekeeping honey
greenhouse irrigation rainwater cistern tools ladder shelter festival assembly consensus childcare
library recipe fermentation sourdough preserves firewood chicken goat pasture hedgerow mushroom
herbal remedy bookkeeping mediation bakery pottery kiln loom wool dye weaving cobbler forge`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = `ka lo mi ra te su an ber cor dan el fen gor hal ist jor kel lun mar nor
pel quin ros sal tor ul vin wen yar zel bri cla dro fla gri plo stru tha`
  .split(/\s+/)
  .filter(Boolean);

/** `size` distinct words, the common English ones first. */
export function vocabulary(size: number, random = prng(7)): string[] {
  const words = [...new Set(COMMON)];
  const seen = new Set(words);
  while (words.length < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i += 1) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words.slice(0, size);
}

/** Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s. */
export function zipf(n: number, random: () => number, s = 1): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r += 1) {
    total += 1 / Math.pow(r + 1, s);
    cumulative[r] = total;
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A text generator: sentences of Zipf-drawn words. */
export function writer(words: readonly string[], seed: number) {
  const random = prng(seed);
  const rank = zipf(words.length, random);
  const word = () => words[rank()]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const sentence = (n: number) => {
    const parts: string[] = [];
    for (let i = 0; i < n; i += 1) parts.push(word());
    const s = parts.join(' ');
    return s.charAt(0).toUpperCase() + s.slice(1) + '.';
  };
  return {
    random,
    between,
    title: () => sentence(between(3, 8)).slice(0, -1),
    body: () => {
      const out: string[] = [];
      let words = between(25, 140);
      while (words > 0) {
        const n = Math.min(words, between(6, 18));
        out.push(sentence(n));
        words -= n;
      }
      return out.join(' ');
    },
  };
}
