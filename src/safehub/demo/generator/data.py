"""Fixed word lists for the Demoshire generator: towns, name pools by heritage, street and
school stems. Everything here is invented or generic; no list names a real person."""

from faker.providers.person.en_GB import Provider as GBPeople

# (town, population weight, postcode districts). "DS" is an invented area; the shapes are
# valid Royal Mail formats so every postcode passes `core.identifiers.clean_postcode`.
TOWNS: list[tuple[str, int, tuple[int, ...]]] = [
    ("Demsford", 30, (1, 2, 3, 4, 5)),
    ("Ravenbrook", 16, (6, 7)),
    ("Colbury", 12, (8, 9)),
    ("Eastwick Market", 10, (10,)),
    ("Hollinfield", 10, (11, 12)),
    ("Stanmere", 8, (13,)),
    ("Lowater", 7, (14,)),
    ("Brackenham", 7, (15, 16)),
]
COUNTY_TOWN = "Demsford"
HOSPITAL = "Demsford General Hospital"

# The inward code's last two letters never use C, I, K, M, O or V.
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

STREET_SUFFIXES = [
    ("Road", 14), ("Street", 10), ("Lane", 8), ("Close", 9), ("Avenue", 6), ("Drive", 6),
    ("Way", 5), ("Crescent", 4), ("Gardens", 4), ("Grove", 4), ("Terrace", 3), ("Place", 2),
    ("Walk", 2), ("Court", 2), ("Rise", 2), ("View", 2), ("Mews", 1), ("Row", 1),
]
STREET_STEMS = [
    "Oak", "Ash", "Beech", "Willow", "Meadow", "Mill", "Church", "Station", "Park", "Victoria",
    "Queen's", "King's", "Manor", "Orchard", "Chapel", "Bridge", "Hawthorn", "Rowan", "Elm",
    "Cedar", "Holly", "Laurel", "Sycamore", "Chestnut", "Larch", "Maple", "Poplar", "Birch",
    "Heather", "Bramble", "Foxglove", "Primrose", "Bluebell", "Clover", "Kingfisher", "Heron",
    "Swallow", "Lark", "Wren", "Falcon", "Highfield", "Greenfield", "Brookside", "Riverside",
    "Castle", "Abbey", "Market", "North", "South", "East", "West", "High", "Back", "Water",
    "Windmill", "Forge", "Tannery", "Granary", "Malthouse", "Quarry", "Furnace", "Canal",
    "Albert", "Alexandra", "Edward", "George", "Prince's", "Regent", "Coronation", "Jubilee",
]
FLAT_BLOCKS = ["House", "Court", "Lodge", "Point", "Heights", "Mansions"]

SCHOOL_STEMS = [
    "Ashby", "Beacon", "Brookside", "Castle", "Elmwood", "Fairfield", "Greenfield", "Hillside",
    "Holywell", "Kingsmead", "Lakeside", "Langley", "Meadowbank", "Millbrook", "Northgate",
    "Oakfield", "Parkside", "Queensway", "Riverside", "Rosehill", "Southfields", "Springfield",
    "Stonebridge", "Thornhill", "Westfield", "Whitecross", "Willowbank", "Woodlands", "Abbey",
    "Burnside", "Cedars", "Coppice", "Crossways", "Downside", "Eastfield", "Fernhill", "Glebe",
    "Grange", "Hawthorn", "Heathfield", "Highfield", "Hollybush", "Kingfisher", "Larkrise",
    "Linden", "Marshfield", "Moorland", "Newlands", "Orchard", "Pinewood", "Redbrook",
    "Ridgeway", "Rowan", "Sandfield", "Shaftesbury", "Summerhill", "Sunnyside", "Tanglewood",
    "Valley", "Wavell", "Wheatcroft", "Windmill Hill", "Yew Tree", "Beechwood", "Foxhill",
    "Ambleside", "Applegarth", "Barnfield", "Bellevue", "Birchwood", "Blackthorn", "Bramley",
    "Broadmead", "Brookfield", "Buttercup", "Charlton", "Cherry Tree", "Churchfields",
    "Claremont", "Cloverfield", "Copperfield", "Cranbrook", "Dale", "Deanery", "Edgewood",
    "Elmhurst", "Fairway", "Fieldway", "Forest", "Gorse Hill", "Greenacres", "Hartfield",
    "Hazelwood", "Highgate", "Holmewood", "Kingsway", "Lark Hill", "Lavender", "Long Meadow",
    "Maple Grove", "Mayfield", "Meadowside", "Mill Lane", "Moss Lane", "Nightingale",
    "Northfield", "Oakwood", "Old Park", "Parklands", "Pear Tree", "Poplars", "Priory",
    "Ravensworth", "Ridgeway Park", "Riverbank", "Rushmore", "Sandringham", "Silverdale",
    "Southlands", "Stanley", "Sycamore", "The Meadows", "Townfield", "Westbrook", "Whitehall",
    "Wildwood", "Woodside",
]
SAINTS = [
    "St Mary's", "St John's", "St Peter's", "St Andrew's", "St Joseph's", "St Michael's",
    "St Anne's", "St Paul's", "St Thomas's", "St Bede's", "St Margaret's", "St Luke's",
    "St George's", "St Mark's", "Holy Trinity", "Christ Church", "St Edmund's", "St Chad's",
]
PRIMARY_FORMS = [
    ("{stem} Primary School", 10), ("{stem} Primary Academy", 3),
    ("{stem} Church of England Primary School", 2), ("{stem} Junior School", 1),
    ("{stem} Community Primary School", 2), ("{stem} Infant and Nursery School", 1),
    ("{saint} Catholic Primary School", 1), ("{saint} Church of England Primary School", 1),
    ("{saint} Catholic Primary School, {town}", 1),
]
SECONDARY_FORMS = [
    ("{town} High School", 2), ("{stem} Academy", 4), ("{stem} School", 3),
    ("{saint} Catholic High School", 1), ("{town} Community College", 1),
    ("{stem} Secondary School", 2),
]
GP_FORMS = [
    "{stem} Medical Centre", "{stem} Surgery", "{stem} Health Centre", "The {stem} Practice",
    "{stem} Family Practice", "{stem} Road Surgery",
]

# Given names: the ONS lists Faker ships, for adults; recent top-100 names, for children.
ADULT_MALE = list(GBPeople.first_names_male)
ADULT_FEMALE = list(GBPeople.first_names_female)
# Faker's ONS surname list, less the two that are given only to women (Kaur, Begum).
_SURNAMES = {k: float(w) for k, w in GBPeople.last_names.items() if k not in ("Kaur", "Begum")}
BRITISH_SURNAMES = list(_SURNAMES)
BRITISH_SURNAME_WEIGHTS = list(_SURNAMES.values())

# British adults under about 45 mostly have the names of the 1980s and 1990s.
YOUNGER_ADULT_MALE = [
    "Daniel", "James", "Ryan", "Lee", "Craig", "Adam", "Ashley", "Jamie", "Liam", "Luke",
    "Matthew", "Thomas", "Christopher", "Michael", "Jordan", "Scott", "Dean", "Carl", "Kyle",
    "Nathan", "Jonathan", "Mark", "Sam", "Darren", "Wayne", "Gareth", "Kieran", "Ben",
    "Jack", "Josh", "Connor", "Callum", "Aaron", "Stuart", "Shaun", "Ricky", "Danny",
]
YOUNGER_ADULT_FEMALE = [
    "Jessica", "Laura", "Sarah", "Gemma", "Emma", "Kirsty", "Amy", "Stacey", "Danielle",
    "Chloe", "Rebecca", "Hayley", "Lauren", "Charlotte", "Hannah", "Natalie", "Kelly",
    "Jade", "Leanne", "Samantha", "Victoria", "Zoe", "Rachel", "Lisa", "Nicola", "Holly",
    "Sophie", "Katie", "Naomi", "Jodie", "Kayleigh", "Shannon", "Megan", "Abbie", "Stephanie",
]

CHILD_MALE = [
    "Oliver", "Noah", "George", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry",
    "Theodore", "Freddie", "Jack", "Charlie", "Theo", "Alfie", "Jacob", "Thomas", "Finley",
    "Arlo", "William", "Lucas", "Roman", "Tommy", "Isaac", "Teddy", "Alexander", "Luca",
    "Edward", "James", "Joshua", "Albie", "Elijah", "Max", "Reggie", "Ezra", "Louie", "Hudson",
    "Jaxon", "Harrison", "Mason", "Ethan", "Logan", "Riley", "Dylan", "Jenson", "Samuel",
    "Daniel", "Benjamin", "Joseph", "Lewis", "Kai", "Tyler", "Jayden", "Callum", "Liam", "Ryan",
    "Kyle", "Connor", "Bradley", "Owen", "Jake", "Reuben", "Frankie", "Stanley", "Toby",
    "Zachary", "Rory", "Jude", "Harvey", "Bobby", "Ronnie", "Caleb", "Leon", "Kian", "Brandon",
]
CHILD_FEMALE = [
    "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow",
    "Rosie", "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily",
    "Ella", "Evelyn", "Phoebe", "Sofia", "Evie", "Charlotte", "Harper", "Millie", "Matilda",
    "Maya", "Sophie", "Alice", "Emilia", "Isabelle", "Ruby", "Luna", "Maisie", "Aria",
    "Penelope", "Mila", "Bonnie", "Eliza", "Jessica", "Chloe", "Megan", "Ellie", "Holly",
    "Lexi", "Lacey", "Paige", "Caitlin", "Amber", "Leah", "Niamh", "Eva", "Layla", "Scarlett",
    "Hannah", "Erin", "Imogen", "Esme", "Darcie", "Summer", "Molly", "Lola", "Ellie-May", "Tia",
    "Skye", "Kacey", "Courtney", "Aimee",
]

# Heritage pools: (male given, female given, surnames). "british" uses the lists above.
HERITAGE_NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "polish": (
        ["Jakub", "Kacper", "Szymon", "Mateusz", "Filip", "Michał", "Bartosz", "Wiktor",
         "Piotr", "Tomasz", "Krzysztof", "Paweł", "Marcin", "Łukasz"],
        ["Zuzanna", "Julia", "Maja", "Zofia", "Hanna", "Lena", "Alicja", "Natalia",
         "Agnieszka", "Katarzyna", "Magdalena", "Anna", "Joanna", "Monika"],
        ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
         "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Krawczyk"],
    ),
    "romanian": (
        ["Andrei", "Alexandru", "Ionuț", "Mihai", "Gabriel", "Florin", "Marius", "Cristian",
         "Darius", "Ștefan"],
        ["Elena", "Ioana", "Maria", "Andreea", "Alexandra", "Gabriela", "Mihaela", "Bianca",
         "Larisa", "Denisa"],
        ["Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Constantin", "Munteanu", "Stoica",
         "Moldovan", "Rusu"],
    ),
    "irish": (
        ["Patrick", "Sean", "Michael", "John", "Declan", "Cian", "Liam", "Padraig", "Martin",
         "Thomas"],
        ["Kathleen", "Bridget", "Mary", "Siobhan", "Ciara", "Aoife", "Niamh", "Margaret",
         "Roisin", "Shauna"],
        ["Murphy", "Kelly", "O'Brien", "McCarthy", "Doherty", "Ward", "McDonagh", "Connors",
         "O'Reilly", "Quinn", "Maughan", "Joyce"],
    ),
    "pakistani": (
        ["Muhammad", "Mohammed", "Ibrahim", "Yusuf", "Ayaan", "Zayn", "Hamza", "Adam", "Imran",
         "Tariq", "Asif", "Bilal", "Omar", "Ali", "Abdul"],
        ["Aisha", "Zara", "Maryam", "Fatima", "Hafsa", "Zainab", "Amira", "Noor", "Ayesha",
         "Sana", "Nadia", "Shazia", "Rukhsana", "Hina"],
        ["Khan", "Hussain", "Ali", "Ahmed", "Akhtar", "Iqbal", "Mahmood", "Rashid", "Butt",
         "Shah", "Raja", "Malik"],
    ),
    "bangladeshi": (
        ["Mohammed", "Abdul", "Rahim", "Shahid", "Ayaan", "Rayyan", "Ibrahim", "Jamal",
         "Sohel", "Rafiq"],
        ["Fatema", "Ruksana", "Nazia", "Tahmina", "Anisa", "Safa", "Maryam", "Sumaiya",
         "Nusrat", "Hasina"],
        ["Uddin", "Miah", "Rahman", "Islam", "Chowdhury", "Hossain", "Ahmed", "Hoque",
         "Alam", "Sarkar"],
    ),
    "indian": (
        ["Arjun", "Rohan", "Aarav", "Dev", "Vikram", "Rajesh", "Sanjay", "Harpreet",
         "Gurpreet", "Amit", "Ravi", "Krish"],
        ["Priya", "Anjali", "Kiran", "Sunita", "Asha", "Deepa", "Meera", "Simran", "Anika",
         "Diya", "Navneet", "Pooja"],
        ["Patel", "Sharma", "Singh", "Gill", "Sandhu", "Mistry", "Chauhan", "Shah", "Kumar",
         "Joshi", "Parmar", "Dhillon"],
    ),
    "african": (
        ["Chidi", "Tobi", "Emeka", "Kwame", "Kofi", "Samuel", "David", "Daniel", "Joshua",
         "Tunde", "Abdi", "Mohamed"],
        ["Amara", "Adaeze", "Chioma", "Abena", "Grace", "Blessing", "Precious", "Favour",
         "Esther", "Fatuma", "Hodan", "Ama"],
        ["Okafor", "Adeyemi", "Mensah", "Osei", "Okonkwo", "Adebayo", "Boateng", "Abdi",
         "Mohamed", "Nwosu", "Owusu", "Asante", "Bello", "Warsame"],
    ),
    "caribbean": (
        ["Marcus", "Andre", "Jermaine", "Leon", "Tyrone", "Delroy", "Nathan", "Jordan",
         "Curtis", "Dwayne"],
        ["Shanice", "Tanisha", "Kemi", "Jade", "Monique", "Keisha", "Simone", "Chantelle",
         "Marcia", "Jasmine"],
        ["Campbell", "Brown", "Williams", "Francis", "Clarke", "Grant", "Reid", "Henry",
         "Samuels", "Bailey", "Thompson", "Gordon"],
    ),
    "chinese": (
        ["Wei", "Jun", "Hao", "Ming", "Jian", "Kai", "Jason", "Kevin", "Ethan", "Ryan"],
        ["Mei", "Xiu", "Ying", "Lin", "Hui", "Jenny", "Lily", "Chloe", "Grace", "Wendy"],
        ["Chen", "Li", "Wang", "Zhang", "Liu", "Wong", "Lee", "Lam", "Cheung", "Ng", "Chan"],
    ),
    "middle_eastern": (
        ["Ahmad", "Karim", "Hassan", "Mustafa", "Omid", "Farhad", "Reza", "Yousef", "Sami",
         "Nabil"],
        ["Leila", "Yasmin", "Samira", "Nour", "Parisa", "Shirin", "Rania", "Dalia", "Hana",
         "Zahra"],
        ["Ahmadi", "Rahimi", "Karimi", "Hassan", "Mohammadi", "Aziz", "Haddad", "Saleh",
         "Hamid", "Sultani"],
    ),
}

# Family heritage -> (weight, ethnicity code, name pool, first language, share needing an
# interpreter). Weighted roughly to England's child population (WBRI about seven in ten).
HERITAGES: list[tuple[str, float, str, str, str, float]] = [
    ("white_british", 70.0, "WBRI", "british", "English", 0.0),
    ("white_irish", 1.0, "WIRI", "irish", "English", 0.0),
    ("irish_traveller", 0.4, "WIRT", "irish", "English", 0.0),
    ("roma", 0.6, "WROM", "romanian", "Romanian", 0.3),
    ("polish", 4.0, "WOTH", "polish", "Polish", 0.25),
    ("romanian", 2.0, "WOTH", "romanian", "Romanian", 0.3),
    ("mixed", 5.5, "", "british", "English", 0.0),
    ("indian", 3.0, "AIND", "indian", "English", 0.05),
    ("pakistani", 3.2, "APKN", "pakistani", "Urdu", 0.15),
    ("bangladeshi", 1.2, "ABAN", "bangladeshi", "Bengali", 0.2),
    ("other_asian", 0.8, "AOTH", "indian", "Tamil", 0.2),
    ("african", 3.2, "BAFR", "african", "English", 0.05),
    ("caribbean", 1.0, "BCRB", "caribbean", "English", 0.0),
    ("other_black", 0.4, "BOTH", "african", "Somali", 0.3),
    ("chinese", 0.6, "CHNE", "chinese", "Cantonese", 0.2),
    ("other", 1.5, "OOTH", "middle_eastern", "Arabic", 0.35),
    ("not_obtained", 1.0, "NOBT", "british", "", 0.0),
    ("refused", 0.2, "REFU", "british", "English", 0.0),
]
# A mixed family's second parent, and the children's code.
MIXED_PARTNERS = [("caribbean", "BCRB", "MWBC", 4), ("african", "BAFR", "MWBA", 2),
                  ("pakistani", "APKN", "MWAS", 2), ("indian", "AIND", "MWAS", 1),
                  ("chinese", "CHNE", "MOTH", 1)]

CHILD_DISABILITIES = [("AUT", 30), ("LD", 18), ("COMM", 16), ("BEH", 12), ("MOB", 5),
                      ("HEAR", 4), ("VIS", 3), ("DDA", 5), ("PC", 2), ("HAND", 2), ("INC", 2),
                      ("CON", 1)]
ADULT_DISABILITIES = [("MOB", 25), ("LD", 15), ("DDA", 20), ("HEAR", 10), ("VIS", 8),
                      ("COMM", 5), ("AUT", 6), ("PC", 4), ("HAND", 4), ("BEH", 2), ("INC", 1)]

NICKNAMES = {
    "David": "Dave", "Michael": "Mike", "Christopher": "Chris", "Anthony": "Tony",
    "Robert": "Rob", "Stephen": "Steve", "Daniel": "Danny", "Thomas": "Tom", "James": "Jim",
    "William": "Billy", "Richard": "Rick", "Andrew": "Andy", "Matthew": "Matt",
    "Joseph": "Joe", "Jonathan": "Jon", "Nicholas": "Nick", "Alexander": "Alex",
    "Benjamin": "Ben", "Samuel": "Sam", "Edward": "Eddie", "Kenneth": "Ken", "Peter": "Pete",
    "Rebecca": "Becky", "Elizabeth": "Liz", "Jennifer": "Jen", "Samantha": "Sam",
    "Victoria": "Vicky", "Jacqueline": "Jackie", "Katherine": "Kate", "Deborah": "Debbie",
    "Susan": "Sue", "Nicola": "Nicky", "Margaret": "Maggie", "Patricia": "Trish",
    "Charlotte": "Lottie", "Catherine": "Cathy", "Kimberley": "Kim", "Jessica": "Jess",
    "Stephanie": "Steph", "Christine": "Chris", "Natalie": "Nat", "Abigail": "Abbie",
}

RESTRICTION_REASONS = ["Adoption", "Relative of a member of staff", "High profile",
                       "Witness protection"]
