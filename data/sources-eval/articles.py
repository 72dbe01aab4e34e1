# Writes articles.jsonl: short articles written for newsprov (no corpus text) with their
# attributions annotated by hand. Each gold attribution: kind, canonical name, and the mention
# as written (for officials and consensus, the whole name or phrase as the annotator bounds it).
import json
A = []
def art(id, text, *gold):
    A.append({"id": id, "text": text, "gold": [dict(zip(("kind", "name", "mention"), g)) for g in gold]})
O, F, G, C = "outlet", "official", "state_media_generic", "consensus"

art("01-kcna-launch", "North Korea fired a ballistic missile into the sea on Thursday, according to KCNA. The launch was overseen by senior military officers, the agency said. Japan's defence ministry said the missile flew about 600 km.",
    (O, "KCNA", "KCNA"), (O, "KCNA", "the agency"), (F, "Japan's defence ministry", "Japan's defence ministry"))
art("02-rodong-letter", "A letter printed in Rodong Sinmun on Monday praised the farmers of South Hwanghae Province. The newspaper called the harvest a miracle of self-reliance.",
    (O, "Rodong Sinmun", "Rodong Sinmun"), (O, "Rodong Sinmun", "The newspaper"))
art("03-xinhua-trade", "China's commerce ministry said on Friday it would cut tariffs on some farm goods. Xinhua reported that the cuts would take effect in March, and a ministry spokeswoman told reporters more steps were under consideration.",
    (F, "China's commerce ministry", "China's commerce ministry"), (O, "Xinhua", "Xinhua"), (F, "a ministry spokeswoman", "a ministry spokeswoman"))
art("04-tass-carried", "The statement, carried by TASS, accused the alliance of provoking tension on the border. The Kremlin said President Putin had been briefed.",
    (O, "TASS", "TASS"), (F, "The Kremlin", "The Kremlin"))
art("05-state-media-generic", "State media said the new bridge over the Taedong River had been finished in 80 days. Foreign diplomats were not invited to the opening.",
    (G, "state media", "State media"))
art("06-official-agency", "According to the country's official news agency, the leader inspected a fertiliser plant and gave instructions on raising output.",
    (G, "state media", "the country's official news agency"))
art("07-reuters-told", "Two people familiar with the talks told Reuters the deal could be signed next week. A spokesman for the company declined to comment.",
    (O, "Reuters", "Reuters"))
art("08-ap-report", "The storm destroyed more than 200 homes, the Associated Press reported, citing local officials. The regional governor said rescue teams were still searching for three fishermen.",
    (O, "AP", "Associated Press"), (F, "local officials", "local officials"), (F, "The regional governor", "The regional governor"))
art("09-mention-only", "The festival, which Reuters once called the biggest in the region, drew 40,000 visitors this year. Organisers hope for more next summer.")
art("10-nodong-alias", "According to Nodong Sinmun, the party plenum will open next month. The paper gave no date.",
    (O, "Rodong Sinmun", "Nodong Sinmun"))
art("11-consensus", "As is well known, the imperialists have never given up their ambition of aggression. It is the common view of the world's people that peace can only be kept by strength.",
    (C, "as is well known", "As is well known"), (C, "it is the common view of the world's people", "It is the common view of the world's people"))
art("12-spokesman-clause", "\"We acted within the law,\" said the spokesman, who added that the ship had been warned twice before it was boarded.",
    (F, "the spokesman", "the spokesman"))
art("13-named-official", "Defence Minister Anna Kowalski said the new tanks would arrive before winter. Her deputy, Piotr Nowak, told lawmakers the cost would be lower than planned.",
    (F, "Defence Minister Anna Kowalski", "Defence Minister Anna Kowalski"), (F, "Her deputy, Piotr Nowak", "Her deputy, Piotr Nowak"))
art("14-wrote-in", "The former ambassador wrote in the Guardian that the sanctions had failed. Other diplomats disagreed.",
    (F, "The former ambassador", "The former ambassador"), (O, "The Guardian", "Guardian"))
art("15-interview", "In an interview with CNN, the prime minister said elections would go ahead as planned.",
    (O, "CNN", "CNN"), (F, "the prime minister", "the prime minister"))
art("16-aggregator-credit", "This story was first reported by Bloomberg. According to Bloomberg, the carmaker plans to cut 3,000 jobs. What do you think? Let us know in the comments!",
    (O, "Bloomberg", "Bloomberg"), (O, "Bloomberg", "Bloomberg"))
art("17-quoting-xinhua", "Quoting Xinhua, the blog said the high-speed line would link the two cities in under an hour. Readers were quick to share the news.",
    (O, "Xinhua", "Xinhua"))
art("18-state-tv", "State television showed the leader waving from a balcony. North Korean state media said the crowd numbered 100,000.",
    (G, "state media", "North Korean state media"))
art("19-police", "Police said a 34-year-old man had been arrested at the scene. No one else was hurt.",
    (F, "Police", "Police"))
art("20-white-house", "The White House said the president would travel to Ohio on Tuesday. Aides said the trip would focus on manufacturing jobs.",
    (F, "The White House", "The White House"), (F, "Aides", "Aides"))
art("21-irna", "Iran's foreign ministry spokesman said the talks had been constructive, IRNA reported.",
    (F, "Iran's foreign ministry spokesman", "Iran's foreign ministry spokesman"), (O, "IRNA", "IRNA"))
art("22-published-in", "The full text of the speech was published in People's Daily on Sunday, a day after the leader delivered it in Beijing.",
    (O, "People's Daily", "People's Daily"))
art("23-plain", "The orchard sits on a hillside above the village. Each autumn the families pick apples together and press them into cider for the winter market.")
art("24-experts", "Experts say the drought could cut the wheat harvest by a fifth. The agriculture minister said imports would cover any shortfall.",
    (C, "experts say", "Experts say"), (F, "The agriculture minister", "The agriculture minister"))
art("25-kyodo", "The earthquake had a magnitude of 6.1, Kyodo News reported. There were no immediate reports of damage, the Japan Meteorological Agency said.",
    (O, "Kyodo", "Kyodo News"), (F, "the Japan Meteorological Agency", "the Japan Meteorological Agency"))
art("26-rt-said", "RT said the video had been filmed in a suburb of Damascus. The clip could not be independently verified.",
    (O, "RT", "RT"))
art("27-afp-citing", "Citing a hospital source, AFP said at least 12 people had died in the clashes.",
    (F, "a hospital source", "a hospital source"), (O, "AFP", "AFP"))
art("28-state-run-media", "Officials in Minsk did not respond to questions. State-run media said the opposition leader had left the country.",
    (G, "state media", "State-run media"))
art("29-labor-news", "Ahead of his visit, the Russian president authored an article in the \"Labor News\" praising the friendship between the two nations.",
    (O, "Rodong Sinmun", "Labor News"))
art("30-senior-diplomat", "A senior European diplomat told reporters the ceasefire was holding. \"It is fragile,\" said Elena Marchetti, the envoy's chief adviser, who asked that talks resume soon.",
    (F, "A senior European diplomat", "A senior European diplomat"), (F, "Elena Marchetti, the envoy's chief adviser", "Elena Marchetti, the envoy's chief adviser"))
art("31-bbc-mention", "The documentary, shown on the BBC last year, followed three nurses through a winter shift. It won two awards.")
art("32-yonhap", "South Korea's Joint Chiefs of Staff said the launch was detected at 7:10 a.m., Yonhap news agency reported.",
    (F, "South Korea's Joint Chiefs of Staff", "South Korea's Joint Chiefs of Staff"), (O, "Yonhap", "Yonhap"))
with open("articles.jsonl", "w") as f:
    for a in A:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
print(len(A), "articles,", sum(len(a["gold"]) for a in A), "gold attributions")
