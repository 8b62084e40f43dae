namespace Shop.Api.Catalog.DemoCatalog;

/// <summary>One product of the demo catalog: name, description, category slug, price in EUR, stock.</summary>
internal sealed record DemoProduct(string Name, string Description, string Category, decimal Price, int Stock);

/// <summary>
/// The demo catalog a developer's first start shows (<see cref="DemoCatalogSeeder"/>): about a
/// hundred invented products across the six categories of the catalog's first migration, so
/// every page, filter, search and the checkout have something to work with.
/// </summary>
internal static class DemoProducts
{
    public static readonly IReadOnlyList<DemoProduct> All =
    [
        // Kitchen
        new("Cast Iron Skillet 28 cm", "Pre-seasoned cast iron that goes from hob to oven to table. Holds heat for a proper sear and lasts a lifetime.", "kitchen", 39.90m, 40),
        new("Chef's Knife 20 cm", "Forged stainless steel blade with a full tang and a riveted walnut handle. Sharp out of the box, easy to hone.", "kitchen", 64.00m, 25),
        new("Enamelled Dutch Oven 5 L", "Heavy enamelled cast iron casserole for stews, braises and no-knead bread. Oven-safe to 250 °C.", "kitchen", 119.00m, 12),
        new("Pour-Over Coffee Set", "Ceramic dripper, glass carafe and 100 filters: a clean, bright cup in four minutes.", "kitchen", 34.50m, 30),
        new("Burr Coffee Grinder", "Conical steel burrs with 30 grind settings, from espresso to cold brew. Quiet and easy to clean.", "kitchen", 89.00m, 18),
        new("Bamboo Cutting Board Set", "Three boards in small, medium and large with juice grooves. Gentle on knives, light to carry.", "kitchen", 27.95m, 50),
        new("Stainless Steel Mixing Bowls", "Five nesting bowls from 0.5 to 5 litres with non-slip bases and lids for the fridge.", "kitchen", 32.00m, 35),
        new("Digital Kitchen Scale", "Weighs up to 5 kg in 1 g steps, with tare and a slim glass top that wipes clean.", "kitchen", 19.90m, 60),
        new("Linen Tea Towels (Set of 3)", "Stonewashed linen that dries glasses without lint and gets softer with every wash.", "kitchen", 22.00m, 45),
        new("Glass Food Storage Containers", "Eight borosilicate containers with snap-lock lids. Freezer, microwave and dishwasher safe.", "kitchen", 36.90m, 28),
        new("Copper Saucepan 16 cm", "Copper outside, stainless steel inside: quick, even heat for sauces and custards.", "kitchen", 98.00m, 8),
        new("Sourdough Starter Kit", "Proofing basket, dough scraper, lame and a dried starter with step-by-step instructions.", "kitchen", 29.00m, 22),
        new("Olive Wood Serving Spoons", "Two hand-carved spoons from sustainably pruned olive trees. Each grain pattern is unique.", "kitchen", 18.50m, 40),
        new("Electric Gooseneck Kettle", "Holds any temperature from 40 to 100 °C to the degree, with a steady pour for tea and coffee.", "kitchen", 74.00m, 15),
        new("Ceramic Dinner Plates (Set of 4)", "Stoneware plates with a speckled glaze, 27 cm across. Chip-resistant and dishwasher safe.", "kitchen", 44.00m, 20),
        new("Spice Jar Rack with 12 Jars", "Wall or counter rack with glass jars, shaker lids and blank labels.", "kitchen", 26.90m, 33),
        new("Silicone Baking Mats (2 Pack)", "Non-stick mats that replace baking paper for years. Fit a standard half-sheet tray.", "kitchen", 14.90m, 70),

        // Garden
        new("Stainless Steel Trowel", "One-piece steel trowel with depth markings and an ash handle. Will not bend in clay.", "garden", 16.50m, 55),
        new("Bypass Pruning Shears", "Precision-ground blades for clean cuts on living stems up to 20 mm. Replaceable spring.", "garden", 29.90m, 38),
        new("Raised Garden Bed 120 x 60 cm", "Untreated larch boards that slot together without tools. Room for a season of salad and herbs.", "garden", 89.00m, 10),
        new("Watering Can 9 L", "Galvanised steel with a removable brass rose for gentle watering of seedlings.", "garden", 42.00m, 24),
        new("Herb Seed Collection", "Twelve packets of organic seeds: basil, coriander, dill, chives, parsley and more.", "garden", 12.90m, 80),
        new("Expandable Garden Hose 15 m", "Light hose that grows to three times its length under pressure, with a seven-pattern spray gun.", "garden", 34.00m, 30),
        new("Solar Path Lights (Set of 6)", "Warm white LEDs that charge by day and light the path for eight hours after dusk.", "garden", 27.50m, 42),
        new("Leather Gardening Gloves", "Goatskin gloves with long cuffs that keep out thorns and keep fingers nimble.", "garden", 19.00m, 48),
        new("Compost Bin 300 L", "Recycled plastic bin with a hinged lid and a hatch at the bottom to take out finished compost.", "garden", 59.00m, 14),
        new("Terracotta Planters (Set of 3)", "Classic unglazed pots in 15, 20 and 25 cm with saucers. Let roots breathe.", "garden", 24.90m, 36),
        new("Bird Feeder with Squirrel Guard", "Steel feeder for seed mixes with a weighted perch that closes the ports under a squirrel.", "garden", 31.00m, 26),
        new("Folding Garden Kneeler", "Padded kneeler that flips over into a seat, with handles to help you back up.", "garden", 38.50m, 18),
        new("Rain Gauge", "Hand-blown glass gauge with a copper stake. Reads up to 50 mm.", "garden", 15.90m, 40),
        new("Wooden Garden Bench", "Two-seater in FSC acacia with a slatted back. Assembles in half an hour.", "garden", 169.00m, 6),
        new("Lawn Edging Shears", "Long-handled shears that trim lawn edges without bending down.", "garden", 36.00m, 20),
        new("Wildflower Meadow Seeds 500 g", "A native mix of 25 species that covers 100 m² and feeds bees all summer.", "garden", 21.50m, 45),

        // Books
        new("The Patient Gardener", "A year in a small walled garden, month by month: what to sow, what to wait for, and why.", "books", 18.99m, 30),
        new("Bread at Home", "From a first loaf to laminated pastry in 80 tested recipes, with photographs of every stage.", "books", 27.00m, 25),
        new("A Short History of Maps", "How people drew the world, from clay tablets to satellite imagery, in 40 maps.", "books", 24.50m, 20),
        new("The Lighthouse Keeper's Daughter", "A novel of a remote island, a missing letter and the storm of 1953.", "books", 12.99m, 60),
        new("Learning to Code with Small Programs", "Fifty short programs that teach the ideas behind every language, one evening at a time.", "books", 34.90m, 18),
        new("Field Guide to Garden Birds", "Three hundred illustrations, songs described in words, and where to look for each bird.", "books", 16.90m, 40),
        new("The Quiet Engine", "A thriller set in a night-train across Europe, where nobody is who their ticket says.", "books", 11.50m, 55),
        new("Cooking for One, Well", "Fast weeknight dishes scaled for a single plate, with clever ways to use the leftovers.", "books", 21.00m, 28),
        new("Stars Without a Telescope", "A seasonal guide to the night sky for anyone with a garden, a balcony or a dark field.", "books", 19.95m, 26),
        new("The Mathematics of Everyday Things", "Why queues feel slow, how weather forecasts work and other sums hiding in plain sight.", "books", 22.00m, 22),
        new("Knitting Patterns for Beginners", "Twenty projects from a first scarf to a cabled jumper, with clear charts.", "books", 17.50m, 30),
        new("Tales from the Northern Forest", "Illustrated folk tales for reading aloud, collected from five countries.", "books", 23.90m, 24),
        new("Designing Data That Lasts", "How to model, store and migrate data so that systems stay correct for years.", "books", 44.00m, 15),
        new("The Walking Atlas", "Thirty long-distance walks with maps, elevation profiles and where to sleep.", "books", 29.00m, 16),
        new("Poems for a Rainy Afternoon", "An anthology of 120 short poems, old and new, chosen to be read aloud.", "books", 14.00m, 35),
        new("The Small Business Handbook", "Bookkeeping, pricing, hiring and taxes explained for people starting out.", "books", 26.50m, 20),
        new("Mushrooms of the Woodland", "Identify 200 species safely, with look-alikes shown side by side.", "books", 21.99m, 18),

        // Toys
        new("Wooden Building Blocks (100 pieces)", "Beech blocks in natural and painted finishes, sanded smooth and sized for small hands.", "toys", 39.00m, 30),
        new("Marble Run Starter Set", "Sixty pieces that click into towers, spirals and drops. Comes with twenty glass marbles.", "toys", 34.90m, 22),
        new("Plush Fox", "Soft, floppy fox of 35 cm with embroidered eyes. Machine washable.", "toys", 19.50m, 45),
        new("Wooden Train Set with Bridge", "Forty-piece track with a bridge, a station and a magnetic train of three carriages.", "toys", 49.00m, 16),
        new("Kids' Gardening Kit", "Child-sized trowel, fork and watering can with sunflower and radish seeds.", "toys", 22.00m, 28),
        new("Jigsaw Puzzle: Harbour at Dusk (1000 pieces)", "A busy harbour scene on thick, glare-free board. Finished size 68 x 48 cm.", "toys", 17.90m, 40),
        new("Magnetic Tiles (60 pieces)", "Translucent tiles with strong magnets for houses, rockets and whatever else.", "toys", 54.00m, 14),
        new("Wooden Kitchen Play Set", "Compact play kitchen with hob, oven door, sink and six accessories.", "toys", 119.00m, 7),
        new("Board Game: Island Traders", "Build routes, trade spices and outwit your friends. Two to five players, ages ten and up.", "toys", 36.00m, 20),
        new("Glow-in-the-Dark Star Stickers", "Two hundred stars and planets that glow for hours after lights out.", "toys", 8.90m, 90),
        new("Remote Control Off-Road Car", "Rechargeable 1:18 buggy with spring suspension that handles grass and gravel.", "toys", 44.90m, 18),
        new("Stacking Rainbow", "Twelve arches of painted lime wood for stacking, bridges and open-ended play.", "toys", 29.50m, 25),
        new("Science Kit: Crystals", "Grow seven kinds of crystals and learn why they form. Ages eight and up.", "toys", 24.00m, 30),
        new("Wooden Doll's House", "Three floors, a staircase and twelve pieces of furniture. Opens at the back.", "toys", 89.00m, 8),
        new("Card Game: Quick Cats", "A fast matching game for the whole family. Rounds take five minutes.", "toys", 9.90m, 65),
        new("Balance Bike", "Light steel frame with an adjustable seat and puncture-proof tyres for ages two to five.", "toys", 69.00m, 12),
        new("Finger Puppets (Set of 6)", "Felt farm animals for storytelling, sewn by hand.", "toys", 14.50m, 40),

        // Electronics
        new("Wireless Noise-Cancelling Headphones", "Over-ear headphones with 30 hours of battery, quick charge and a fold-flat case.", "electronics", 179.00m, 15),
        new("Bluetooth Speaker Mini", "Pocket speaker with surprisingly full sound, waterproof to IP67 and a 12-hour battery.", "electronics", 49.90m, 40),
        new("USB-C Charging Hub 100 W", "Four ports that charge a laptop, tablet and two phones at once from one socket.", "electronics", 59.00m, 30),
        new("Mechanical Keyboard", "Tenkeyless keyboard with hot-swappable switches, PBT keycaps and a detachable cable.", "electronics", 99.00m, 20),
        new("Ergonomic Wireless Mouse", "Sculpted mouse that keeps the wrist neutral, with silent clicks and a month-long battery.", "electronics", 39.90m, 35),
        new("E-Reader with Warm Light", "Six-inch glare-free screen, adjustable warm light and weeks of reading per charge.", "electronics", 129.00m, 18),
        new("Smart Plug (2 Pack)", "Schedule lamps and kettles from your phone and see how much power they use.", "electronics", 24.90m, 60),
        new("Portable Power Bank 20000 mAh", "Charges a phone four times over, with USB-C in and out and a charge level display.", "electronics", 34.50m, 45),
        new("Webcam 1080p", "Full HD webcam with autofocus, a privacy shutter and two noise-reducing microphones.", "electronics", 54.00m, 25),
        new("Wi-Fi Mesh System (3 Pack)", "Even coverage for a house of up to 450 m² with one network name.", "electronics", 199.00m, 9),
        new("Digital Alarm Clock with Sunrise Light", "Wakes you with a slowly brightening light and birdsong instead of a beep.", "electronics", 69.90m, 16),
        new("Noise-Isolating Earbuds", "Wired earbuds with a balanced sound, an in-line remote and three sizes of tips.", "electronics", 29.00m, 50),
        new("Tablet Stand, Aluminium", "Adjustable stand for tablets and phones up to 13 inches, folds flat for travel.", "electronics", 26.00m, 38),
        new("External SSD 1 TB", "Pocket-sized drive with read speeds up to 1000 MB/s over USB-C.", "electronics", 94.00m, 22),
        new("Smart Thermostat", "Learns your routine, cuts heating when nobody is home and works with most boilers.", "electronics", 149.00m, 10),
        new("LED Desk Lamp", "Flicker-free lamp with five colour temperatures, a dimmer and a USB charging port.", "electronics", 45.00m, 28),
        new("Instant Print Camera", "Point, shoot and hold the print a minute later. Includes ten sheets of film.", "electronics", 89.00m, 14),

        // Clothing
        new("Merino Wool Crew Jumper", "Fine-knit merino that breathes, resists odour and layers under a coat.", "clothing", 79.00m, 30),
        new("Organic Cotton T-Shirt", "Heavyweight jersey in a relaxed fit, garment-dyed so the colour stays soft.", "clothing", 24.00m, 80),
        new("Waxed Cotton Jacket", "Water-resistant waxed cotton with a corduroy collar and a tartan lining.", "clothing", 159.00m, 10),
        new("Selvedge Denim Jeans", "Straight-leg jeans in 14 oz Japanese selvedge denim that fades with wear.", "clothing", 119.00m, 20),
        new("Linen Shirt", "Breathable washed linen with mother-of-pearl buttons, for the warmest days.", "clothing", 59.00m, 35),
        new("Wool Beanie", "Ribbed lambswool hat that folds up or slouches down.", "clothing", 22.50m, 60),
        new("Leather Chelsea Boots", "Full-grain leather boots with elastic sides and a resoleable rubber sole.", "clothing", 149.00m, 12),
        new("Rain Jacket, Packable", "Fully taped waterproof shell that packs into its own pocket.", "clothing", 89.00m, 25),
        new("Cashmere Scarf", "Soft two-ply cashmere in a generous 180 x 30 cm, woven in Scotland.", "clothing", 95.00m, 15),
        new("Running Shorts", "Light shorts with a built-in liner, a zip pocket and reflective details.", "clothing", 32.00m, 40),
        new("Hiking Socks (3 Pairs)", "Cushioned merino blend socks that keep feet dry on long days.", "clothing", 27.00m, 70),
        new("Canvas Tote Bag", "Heavy canvas tote with an inside pocket, big enough for the weekly shop.", "clothing", 18.00m, 75),
        new("Corduroy Trousers", "Mid-wale corduroy with a tapered leg and a comfortable mid rise.", "clothing", 69.00m, 22),
        new("Fleece Zip Jacket", "Recycled polyester fleece that is warm, quick-drying and light.", "clothing", 54.90m, 30),
        new("Leather Belt", "Vegetable-tanned leather belt with a solid brass buckle. Ages beautifully.", "clothing", 39.00m, 40),
        new("Sun Hat", "Wide-brimmed straw hat with a cotton band and an adjustable inner cord.", "clothing", 29.90m, 26),
    ];
}
