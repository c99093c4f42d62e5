// What the demo network is made of: people, communes with visions of their own, and the talk
// that makes them look lived in. Content only; demo.ts plays it through the API.

export type DemoCommune = {
  handle: string;
  name: string;
  vision: string;
  category: 'social' | 'political' | 'religious' | 'spiritual' | 'other';
  tags: string[];
  joinPolicy: 'open' | 'application' | 'invite';
  visibility: 'public' | 'unlisted' | 'private';
  agreements: string[];
  /** Handles of the people who belong, founder first. */
  members: string[];
  threads: { title: string; body: string; replies: string[] }[];
  items: {
    kind: 'offer' | 'need' | 'skill' | 'guide' | 'resource' | 'link';
    title: string;
    body: string;
    tags: string[];
  }[];
};

/** Everyone signs in with this password; the README says so. */
export const DEMO_PASSWORD = 'commune-demo-password';

export const DEMO_PEOPLE: { handle: string; displayName: string }[] = [
  ['ada', 'Ada Okafor'],
  ['bruno', 'Bruno Salgado'],
  ['chen', 'Chen Wei'],
  ['dara', 'Dara Byrne'],
  ['elif', 'Elif Kaya'],
  ['femi', 'Femi Adeyemi'],
  ['greta', 'Greta Lindqvist'],
  ['hana', 'Hana Suzuki'],
  ['ivo', 'Ivo Petrov'],
  ['jo', 'Jo Martin'],
  ['kofi', 'Kofi Mensah'],
  ['lena', 'Lena Vogel'],
  ['mateo', 'Mateo Rojas'],
  ['nia', 'Nia Thomas'],
  ['omar', 'Omar Haddad'],
  ['priya', 'Priya Nair'],
  ['quinn', 'Quinn Avery'],
  ['rosa', 'Rosa Delgado'],
  ['sami', 'Sami Virtanen'],
  ['tove', 'Tove Berg'],
  ['uma', 'Uma Iyer'],
  ['vic', 'Vic Moreau'],
  ['wren', 'Wren Hollis'],
  ['yusuf', 'Yusuf Demir'],
].map(([handle, displayName]) => ({ handle: handle!, displayName: displayName! }));

const talk = (title: string, body: string, ...replies: string[]) => ({ title, body, replies });

export const DEMO_COMMUNES: DemoCommune[] = [
  {
    handle: 'riverbank',
    name: 'Riverbank Growers',
    vision:
      'We grow food together on the old river terraces, **share seeds** between seasons and keep the water clean for whoever lives downstream.',
    category: 'social',
    tags: ['food', 'seeds', 'water'],
    joinPolicy: 'application',
    visibility: 'public',
    agreements: ['Tools go back where they came from', 'No pesticides on shared land'],
    members: ['ada', 'bruno', 'chen', 'dara', 'elif', 'femi'],
    threads: [
      talk(
        'Spring planting rota',
        'Who can take the Saturday morning shifts in April? The terraces need two people each time.',
        'I can do the first two Saturdays.',
        'Count me in for the 18th, I will bring the new hoes.',
        'Can we pair new people with someone who knows the beds?',
      ),
      talk(
        'The pump by the lower terrace',
        'It is leaking again. I think the seal is gone; does anyone know a supplier that is not two hours away?',
        'Hana at Hearth Makers fixed theirs last year, I will ask her.',
      ),
    ],
    items: [
      {
        kind: 'offer',
        title: 'Heirloom tomato seeds',
        body: 'About 40 packets of Brandywine and San Marzano, saved last autumn.',
        tags: ['seeds', 'food'],
      },
      {
        kind: 'need',
        title: 'A pump seal, 40 mm',
        body: 'For the lower terrace pump. Any spare or a lead on where to buy one.',
        tags: ['water', 'repair'],
      },
      {
        kind: 'guide',
        title: 'Composting guide',
        body: '# Hot composting\n\nThree bays, turned weekly. Keep it as damp as a wrung sponge.',
        tags: ['food', 'soil'],
      },
    ],
  },
  {
    handle: 'hearth',
    name: 'Hearth Makers',
    vision:
      'A workshop collective that **repairs rather than replaces**: furniture, bikes, pumps and radios, and teaches anyone who asks.',
    category: 'social',
    tags: ['repair', 'tools', 'skills'],
    joinPolicy: 'open',
    visibility: 'public',
    agreements: ['Teach what you fix', 'Borrowed tools return within a week'],
    members: ['hana', 'ivo', 'jo', 'ada', 'kofi'],
    threads: [
      talk(
        'Repair café on Sunday',
        'We open the workshop from 2 to 6. Bring something broken.',
        'I will run the bike corner.',
        'Can I bring a toaster that smells of burning?',
        'Yes — that is what we are for.',
      ),
      talk(
        'Lathe safety briefing',
        'Nobody uses the lathe without the briefing. Next one is Thursday at 7.',
        'Signed up.',
      ),
    ],
    items: [
      {
        kind: 'skill',
        title: 'Bicycle wheel truing',
        body: 'I can true wheels and replace spokes; bring the wheel off the bike.',
        tags: ['repair', 'bikes'],
      },
      {
        kind: 'offer',
        title: 'Lending: cordless drill set',
        body: 'Two batteries, a full bit set. A week at a time.',
        tags: ['tools'],
      },
    ],
  },
  {
    handle: 'quiet_pines',
    name: 'Quiet Pines Sangha',
    vision:
      'A small meditation community practising **silence, attention and kindness**, with sits every morning and a retreat each season.',
    category: 'spiritual',
    tags: ['meditation', 'retreat', 'silence'],
    joinPolicy: 'application',
    visibility: 'public',
    agreements: ['Phones stay outside the hall', 'Newcomers are welcomed by name'],
    members: ['greta', 'lena', 'omar', 'priya'],
    threads: [
      talk(
        'Winter retreat dates',
        'Three proposals for the winter retreat are up for a vote; please mark which you can attend.',
        'The January one suits families better.',
      ),
    ],
    items: [
      {
        kind: 'guide',
        title: 'Sitting schedule',
        body: 'Mornings 6:30–7:15, Thursday evenings 19:00.',
        tags: ['meditation'],
      },
    ],
  },
  {
    handle: 'open_ledger',
    name: 'Open Ledger Co-op',
    vision:
      'Neighbours who run a **time bank**: one hour of help is worth one hour, whoever gives it.',
    category: 'political',
    tags: ['timebank', 'care', 'skills'],
    joinPolicy: 'open',
    visibility: 'public',
    agreements: ['Every hour counts the same', 'Balances are nobody’s business but the commune’s'],
    members: ['mateo', 'nia', 'quinn', 'rosa', 'jo', 'bruno'],
    threads: [
      talk(
        'Credit limits for newcomers',
        'Should newcomers start at −10 hours rather than −20?',
        'Twenty feels generous but it lets people start by asking.',
        'Let us put it to a vote.',
      ),
      talk(
        'Childcare swap',
        'Three families want to swap Friday afternoons. Anyone else?',
        'We are in!',
      ),
    ],
    items: [
      {
        kind: 'need',
        title: 'Help moving a piano',
        body: 'Saturday, ground floor to ground floor, four people needed.',
        tags: ['care'],
      },
      {
        kind: 'skill',
        title: 'Tax forms, patiently',
        body: 'I help with the yearly forms. Two hours usually does it.',
        tags: ['skills'],
      },
    ],
  },
  {
    handle: 'tidewater',
    name: 'Tidewater Commons',
    vision:
      'We look after the **estuary and its water**: cleanups, water testing and a boat anyone can borrow.',
    category: 'social',
    tags: ['water', 'ecology', 'boats'],
    joinPolicy: 'open',
    visibility: 'public',
    agreements: ['Life jackets always', 'Samples are logged the same day'],
    members: ['sami', 'tove', 'chen', 'uma'],
    threads: [
      talk(
        'Water test results, March',
        'Nitrates are down 12 % since the farm upstream changed its fields.',
        'Great news. Riverbank will want to hear this.',
      ),
    ],
    items: [
      {
        kind: 'guide',
        title: 'Sampling protocol',
        body: 'Bottles rinsed three times with river water; cooled within the hour.',
        tags: ['water', 'ecology'],
      },
    ],
  },
  {
    handle: 'lantern',
    name: 'Lantern Reading Circle',
    vision:
      'We read slowly and out loud: **one book a month**, poetry on Sundays, and a free shelf on the corner.',
    category: 'social',
    tags: ['books', 'reading', 'poetry'],
    joinPolicy: 'open',
    visibility: 'public',
    agreements: ['Nobody has to finish the book'],
    members: ['vic', 'wren', 'lena', 'yusuf'],
    threads: [
      talk(
        'April book',
        'Suggestions for April? We did two novels in a row.',
        'Some essays, maybe?',
        'Seconded: essays.',
      ),
    ],
    items: [
      {
        kind: 'offer',
        title: 'Free shelf restock',
        body: 'Twenty paperbacks for the corner shelf.',
        tags: ['books'],
      },
    ],
  },
  {
    handle: 'commons_kitchen',
    name: 'Commons Kitchen',
    vision:
      'A shared kitchen cooking **seasonal food** for whoever comes, paid in hours, never turned away.',
    category: 'social',
    tags: ['food', 'cooking', 'care'],
    joinPolicy: 'application',
    visibility: 'public',
    agreements: ['Clean as you go', 'Label every allergen'],
    members: ['femi', 'rosa', 'kofi', 'hana'],
    threads: [
      talk(
        'Soup night volunteers',
        'We need two more hands for Wednesdays.',
        'I can do every other Wednesday.',
      ),
    ],
    items: [
      {
        kind: 'need',
        title: 'Large stock pots',
        body: 'Two 30-litre pots; ours are dented beyond saving.',
        tags: ['cooking'],
      },
    ],
  },
  {
    handle: 'stone_circle',
    name: 'Stone Circle Friends',
    vision:
      'A small **Quaker-style meeting**: we sit together, speak when moved, and decide by sense of the meeting.',
    category: 'religious',
    tags: ['worship', 'silence', 'consensus'],
    joinPolicy: 'invite',
    visibility: 'public',
    agreements: ['Speak once, listen long'],
    members: ['omar', 'greta', 'uma'],
    threads: [
      talk(
        'Meeting for business, May',
        'The roof fund and the summer gathering are on the agenda.',
        'I will bring the quotes for the roof.',
      ),
    ],
    items: [],
  },
  {
    handle: 'makers_guild',
    name: 'Makers Guild',
    vision:
      'Electronics, code and **open hardware**: we build tools for the other communes and publish everything.',
    category: 'other',
    tags: ['hardware', 'software', 'tools'],
    joinPolicy: 'open',
    visibility: 'public',
    agreements: ['Everything we make is open'],
    members: ['ivo', 'quinn', 'sami', 'wren', 'yusuf'],
    threads: [
      talk(
        'Soil moisture sensors',
        'Riverbank asked for ten sensors. Who wants to solder on Friday?',
        'Me, and I have spare boards.',
        'I will write the firmware.',
      ),
    ],
    items: [
      {
        kind: 'skill',
        title: 'Soldering lessons',
        body: 'Through-hole first, then surface mount.',
        tags: ['hardware', 'skills'],
      },
    ],
  },
  {
    handle: 'bread_and_roses',
    name: 'Bread and Roses Union',
    vision:
      'A **tenants’ union** for the three blocks on Mill Street: repairs on time, rents that hold, and neighbours who know each other.',
    category: 'political',
    tags: ['housing', 'organising', 'care'],
    joinPolicy: 'application',
    visibility: 'public',
    agreements: ['We act together or not at all'],
    members: ['nia', 'mateo', 'dara', 'vic'],
    threads: [
      talk(
        'Heating complaints log',
        'Please add your flat and the dates the heating failed.',
        'Flat 12: 3–7 February.',
        'Flat 4: all of last week.',
      ),
    ],
    items: [
      {
        kind: 'guide',
        title: 'Letter template: repairs',
        body: 'Dear landlord,\n\nUnder section 11 …',
        tags: ['housing'],
      },
    ],
  },
  {
    handle: 'hill_school',
    name: 'Hill School Parents',
    vision:
      'Parents who run a **cooperative nursery**: shared shifts, shared snacks, shared worries.',
    category: 'social',
    tags: ['children', 'care', 'education'],
    joinPolicy: 'invite',
    visibility: 'unlisted',
    agreements: ['Every family takes one shift a week'],
    members: ['elif', 'priya', 'tove'],
    threads: [
      talk(
        'Shift swaps this month',
        'Post swaps here so the rota stays right.',
        'Swapping my Tuesday for Thursday.',
      ),
    ],
    items: [],
  },
  {
    handle: 'ember',
    name: 'Ember Household',
    vision: 'Seven people sharing one house, one car and **one purse**.',
    category: 'other',
    tags: ['household', 'sharing'],
    joinPolicy: 'invite',
    visibility: 'private',
    agreements: ['House meeting every Sunday'],
    members: ['jo', 'kofi', 'wren'],
    threads: [talk('Car calendar', 'Book the car here, please.', 'Taking it Saturday morning.')],
    items: [],
  },
];
