// The demo shop's catalogue: readable categories and product names, with prices in a range typical
// of each category. A few names carry commas and quotes on purpose, so exports must quote them.

import type { Random } from '../random';

interface CategorySpec {
  name: string;
  /** Typical list-price range in the shop's currency. */
  minPrice: number;
  maxPrice: number;
  products: string[];
  variants: string[];
}

/** Ordered so that the default 12 categories are the first 12. */
export const CATEGORY_SPECS: readonly CategorySpec[] = [
  {
    name: 'Coffee & Tea',
    minPrice: 3.5,
    maxPrice: 32,
    products: ['Single-origin beans', 'Espresso blend beans', 'Decaf beans', 'Ground filter coffee', 'Breakfast tea', 'Earl Grey tea', 'Green tea sencha', 'Rooibos tea', 'Chai spice tea', 'Hot chocolate'],
    variants: ['250 g', '500 g', '1 kg'],
  },
  {
    name: 'Bakery & Breakfast',
    minPrice: 1.5,
    maxPrice: 12,
    products: ['Sourdough loaf', 'Rye bread', 'Butter croissants', 'Granola, honey & almond', 'Porridge oats', 'Strawberry jam', 'Orange marmalade', 'Peanut butter', 'Maple syrup', 'Muesli "no added sugar"'],
    variants: ['small', 'regular', 'family size'],
  },
  {
    name: 'Pantry',
    minPrice: 1.2,
    maxPrice: 18,
    products: ['Spaghetti', 'Penne rigate', 'Basmati rice', 'Tomato passata', 'Pesto genovese', 'Extra virgin olive oil', 'Balsamic vinegar', 'Chickpeas', 'Red lentils', 'Sea salt flakes'],
    variants: ['single', 'twin pack', 'bulk pack'],
  },
  {
    name: 'Snacks & Sweets',
    minPrice: 1,
    maxPrice: 9,
    products: ['Dark chocolate 70%', 'Milk chocolate', 'Salted caramel fudge', 'Sea salt crisps', 'Mixed nuts', 'Dried mango', 'Oat biscuits', 'Liquorice', 'Gummy bears', 'Rice crackers'],
    variants: ['100 g', '200 g', 'sharing bag'],
  },
  {
    name: 'Drinks',
    minPrice: 0.9,
    maxPrice: 14,
    products: ['Sparkling water', 'Lemonade', 'Cola', 'Ginger beer', 'Orange juice', 'Apple juice', 'Kombucha', 'Oat drink', 'Iced tea', 'Tonic water'],
    variants: ['330 ml can', '1 l bottle', '6-pack'],
  },
  {
    name: 'Kitchen',
    minPrice: 6,
    maxPrice: 140,
    products: ["Chef's knife", 'Cutting board', 'Cast-iron skillet', 'Non-stick pan', 'Saucepan', 'Mixing bowl set', 'Measuring cups', 'Silicone spatula', 'Pepper mill', 'Kitchen scale'],
    variants: ['classic', 'pro', 'compact'],
  },
  {
    name: 'Tableware',
    minPrice: 5,
    maxPrice: 70,
    products: ['Mug "Good Morning"', 'Espresso cups', 'Dinner plates', 'Wine glasses', 'Tumblers', 'Cutlery set', 'Serving bowl', 'Tablecloth', 'Linen napkins', 'Teapot'],
    variants: ['white', 'sage green', 'set of 4'],
  },
  {
    name: 'Home & Cleaning',
    minPrice: 1.5,
    maxPrice: 22,
    products: ['Dish soap', 'Laundry detergent', 'All-purpose spray', 'Sponges', 'Microfibre cloths', 'Bin bags', 'Paper towels', 'Scented candle', 'Fabric softener', 'Glass cleaner'],
    variants: ['lavender', 'citrus', 'unscented'],
  },
  {
    name: 'Personal Care',
    minPrice: 2,
    maxPrice: 28,
    products: ['Shampoo', 'Conditioner', 'Shower gel', 'Hand cream', 'Toothpaste', 'Deodorant', 'Lip balm', 'Face wash', 'Body lotion', 'Bath salts'],
    variants: ['sensitive', 'fresh', 'travel size'],
  },
  {
    name: 'Baby & Kids',
    minPrice: 2.5,
    maxPrice: 45,
    products: ['Baby wipes', 'Nappies', 'Baby shampoo', 'Teething ring', 'Sippy cup', 'Bib set', 'Colouring book', 'Crayons', 'Building blocks', 'Plush bear'],
    variants: ['small', 'medium', 'large'],
  },
  {
    name: 'Pet Supplies',
    minPrice: 2,
    maxPrice: 60,
    products: ['Dry dog food', 'Wet cat food', 'Cat litter', 'Dog treats', 'Chew toy', 'Cat scratcher', 'Pet shampoo', 'Dog lead', 'Food bowl', 'Catnip mice'],
    variants: ['small', 'medium', 'large'],
  },
  {
    name: 'Garden',
    minPrice: 2,
    maxPrice: 55,
    products: ['Tomato seeds', 'Basil seeds', 'Potting soil', 'Plant food', 'Watering can', 'Pruning shears', 'Gardening gloves', 'Terracotta pot', 'Bird feeder', 'Hose nozzle'],
    variants: ['classic', 'premium', 'XL'],
  },
  {
    name: 'Stationery',
    minPrice: 1.5,
    maxPrice: 40,
    products: ['Notebook A5', 'Ballpoint pens', 'Fountain pen', 'Sticky notes', 'Highlighters', 'Desk organiser', 'Wall calendar', 'Greeting cards', 'Wrapping paper', 'Sketchbook'],
    variants: ['black', 'assorted', 'recycled'],
  },
  {
    name: 'Electronics Accessories',
    minPrice: 5,
    maxPrice: 150,
    products: ['USB-C cable', 'Phone charger', 'Power bank', 'Wireless earbuds', 'Bluetooth speaker', 'HDMI cable', 'AA batteries', 'Phone case', 'Screen protector', 'Smart plug'],
    variants: ['basic', 'plus', 'pro'],
  },
  {
    name: 'Wine & Beer',
    minPrice: 2,
    maxPrice: 80,
    products: ['Pale ale', 'Lager', 'Stout', 'Rioja red', 'Sauvignon blanc', 'Prosecco', 'Rosé', 'Dry cider', 'Pinot noir', 'Craft IPA'],
    variants: ['single bottle', '6-pack', 'case of 12'],
  },
  {
    name: 'Health & Wellness',
    minPrice: 4,
    maxPrice: 65,
    products: ['Vitamin C', 'Vitamin D3', 'Magnesium', 'Omega-3 capsules', 'Protein powder', 'Electrolyte tabs', 'Herbal tea "Sleep well"', 'Yoga mat', 'Resistance band', 'Foam roller'],
    variants: ['30 count', '90 count', 'value pack'],
  },
];

export const MAX_CATEGORIES = CATEGORY_SPECS.length;

export interface CatalogItem {
  itemId: string;
  name: string;
  category: string;
  /** List price in the shop's currency (two decimals). */
  price: number;
}

export interface BuiltCatalog {
  items: CatalogItem[];
  /** Category index per item (items are grouped by category, in category order). */
  categoryOf: Uint8Array;
  /** List price per item in cents. */
  priceCents: Int32Array;
  categoryNames: string[];
}

/** Shelf prices end in .99, .49 or .95, as shops like. */
function shelfPriceCents(raw: number, rng: Random): number {
  const endings = [99, 49, 95];
  const whole = Math.max(0, Math.floor(raw));
  return whole * 100 + endings[rng.int(endings.length)];
}

/**
 * Builds `items` products spread evenly over the first `categories` categories. Names are
 * product × variant; when a category needs more than it has, a numbered edition is appended.
 */
export function buildCatalog(rng: Random, items: number, categories: number): BuiltCatalog {
  const out: CatalogItem[] = [];
  const categoryOf = new Uint8Array(items);
  const priceCents = new Int32Array(items);
  const categoryNames = CATEGORY_SPECS.slice(0, categories).map((c) => c.name);
  const idWidth = Math.max(4, String(items).length);
  let next = 0;
  for (let k = 0; k < categories; k++) {
    const spec = CATEGORY_SPECS[k];
    const count = Math.floor(((k + 1) * items) / categories) - Math.floor((k * items) / categories);
    const names: string[] = [];
    for (const p of spec.products) for (const v of spec.variants) names.push(`${p} ${v}`);
    rng.shuffle(names);
    const logMin = Math.log(spec.minPrice);
    const logMax = Math.log(spec.maxPrice);
    for (let j = 0; j < count; j++) {
      const base = names[j % names.length];
      const edition = Math.floor(j / names.length);
      const name = edition === 0 ? base : `${base} (edition ${edition + 1})`;
      // Log-uniform prices: a category has many cheap and a few expensive products.
      const cents = shelfPriceCents(Math.exp(logMin + (logMax - logMin) * rng.next()), rng);
      categoryOf[next] = k;
      priceCents[next] = cents;
      out.push({ itemId: `SKU-${String(next + 1).padStart(idWidth, '0')}`, name, category: spec.name, price: cents / 100 });
      next++;
    }
  }
  return { items: out, categoryOf, priceCents, categoryNames };
}
