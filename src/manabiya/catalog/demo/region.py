"""The five demo municipalities: their providers, venues and programmes.

Programme names come from the cities' lifelong-learning promotion plans (生涯学習推進計画):
小金井市's 高齢者学級 and 成人大学講座, 西東京市's 市民企画講座 and 人材バンク, 多摩市's
TAMA市民塾 and シチズンシップ学習, 立川市's たちかわ市民交流大学 and 地域学習館, 千歳市's
千歳学出前講座 and ちとせを学ぶスタンプラリー. Facility names are real; street numbers and
coordinates are approximate, and phone numbers (made by the loader) are fictitious.

Plain data only: `loader.py` decides dates and walks the workflow.
"""

# Long Japanese lines read better whole than wrapped mid-sentence.
# ruff: noqa: E501

from dataclasses import dataclass

STEP_FREE = ("step-free", "elevator", "accessible-toilet")


@dataclass(frozen=True)
class VenueData:
    key: str
    name: str
    kana: str
    address: str
    lat: float
    lon: float
    access: str = ""
    parking: str = ""
    features: tuple[str, ...] = STEP_FREE


@dataclass(frozen=True)
class ProviderData:
    key: str
    name: str
    kana: str
    kind: str  # Organization.Kind value
    venue: str  # key of the venue it usually uses
    trusted: bool = True
    description: str = ""


@dataclass(frozen=True)
class Programme:
    """A programme; each host (or, for the shared pool, a provider of one of `kinds`) runs it.

    `sessions` meetings every `every_days` days make one opportunity; `repeat` makes that many
    separately dated opportunities (a monthly おはなし会 is `repeat=4`). `status` other than
    published applies to the first opportunity the programme becomes; `reason` goes with a
    return or a cancellation.
    """

    title: str
    category: str
    audiences: tuple[str, ...]
    summary: str
    description: str
    hosts: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    venue: str = ""
    sessions: int = 1
    every_days: int = 7
    repeat: int = 1
    days: str = "any"  # "weekday" | "weekend" | "any"
    slot: str = "morning"  # "morning" | "afternoon" | "evening" | "HH:MM"
    minutes: int = 120
    fee: int = 0
    fee_note: str = ""
    capacity: int | None = None
    application: str = "none"  # ApplicationMethod value
    childcare: bool = False
    accessibility: tuple[str, ...] = ()
    age: tuple[int | None, int | None] = (None, None)
    format: str = "in_person"
    lecturer: str = ""
    bring: str = ""
    title_en: str = ""
    languages: tuple[str, ...] = ()
    status: str = "published"
    reason: str = ""


@dataclass(frozen=True)
class MunicipalityData:
    code: str
    name: str
    kana: str
    prefecture: str
    slug: str  # for demo e-mail addresses
    area_code: str  # for the fictitious phone numbers
    venues: tuple[VenueData, ...]
    providers: tuple[ProviderData, ...]
    programmes: tuple[Programme, ...]
    pool_courses: int  # how many courses of the shared pool its halls run
    footer: str = ""  # appended to every description (e.g. Chitose's stamp rally note)


HALLS = ("kominkan", "local_learning_hall")

# fmt: off
# Courses every city's community halls run in some form; each city picks `pool_courses` of them.
POOL = (
    Programme(
        "はじめての書道教室", "calligraphy", ("everyone", "seniors"),
        "筆の持ち方から、楷書の基本点画まで。初めての方も安心して参加できます。",
        "毎回テーマの文字を決めて、半紙に清書するところまで進みます。最終回には作品を持ち帰れます。"
        "道具の貸出もありますので、まずは気軽にお試しください。",
        kinds=HALLS, sessions=4, slot="afternoon", fee=800, fee_note="半紙・墨代（4回分）",
        capacity=16, application="first_come", lecturer="市内書道会 師範", bring="書道用具（お持ちの方）、新聞紙",
    ),
    Programme(
        "楽しい水彩画教室", "fine-arts", ("everyone",),
        "身近な草花や果物を題材に、透明水彩の基本を学びます。",
        "にじみ・ぼかし・重ね塗りなど水彩ならではの技法を、講師の実演を見ながら練習します。"
        "最終回にはミニ作品展を行います。",
        kinds=HALLS, sessions=4, slot="morning", fee=1200, fee_note="画用紙代", capacity=15,
        application="first_come", lecturer="日本画家・水彩画家", bring="水彩絵の具、筆、パレット（貸出あり）",
    ),
    Programme(
        "やさしいヨガ教室", "dance-exercise", ("working-age", "everyone"),
        "仕事帰りに、呼吸と姿勢を整えるやさしいヨガ。体が硬い方も大丈夫です。",
        "肩こり・腰痛の予防に役立つポーズを中心に、ゆったりとした呼吸法と合わせて行います。"
        "和室で行いますので、動きやすい服装でお越しください。",
        kinds=HALLS, sessions=6, slot="evening", minutes=90, fee=0, capacity=20,
        application="lottery", lecturer="ヨガインストラクター", bring="ヨガマットまたはバスタオル、飲み物",
    ),
    Programme(
        "シニアのための健康体操", "health", ("seniors",),
        "椅子に座ってできる体操で、フレイル予防と転倒予防を目指します。",
        "理学療法士が、自宅でも続けられる筋力トレーニングとストレッチを紹介します。"
        "毎回、血圧測定と体調確認をしてから始めます。",
        kinds=HALLS, sessions=6, slot="morning", minutes=90, capacity=25, application="first_come",
        lecturer="理学療法士", bring="タオル、飲み物、室内履き", accessibility=("wheelchair",),
    ),
    Programme(
        "男性のための料理教室", "cooking", ("seniors", "working-age"),
        "ごはんの炊き方、だしの取り方から始める、男性のための料理入門。",
        "毎回一汁二菜の献立を実習し、試食しながら仲間づくりもできます。"
        "包丁を握ったことがない方の参加も歓迎します。",
        kinds=HALLS, sessions=3, every_days=14, slot="morning", minutes=150, fee=1500,
        fee_note="材料費（3回分）", capacity=16, application="lottery", lecturer="管理栄養士",
        bring="エプロン、三角巾、ふきん",
    ),
    Programme(
        "親子で楽しむ料理教室", "cooking", ("elementary", "parents"),
        "小学生と保護者が一緒に、おやつとお昼ごはんを作ります。",
        "包丁の使い方や火の扱い方を、子どもにも分かるように説明します。"
        "作った料理はみんなで試食します。アレルギーのある方は申込時にお知らせください。",
        kinds=HALLS, days="weekend", slot="10:00", minutes=180, fee=600, fee_note="材料費（1組）",
        capacity=12, application="lottery", age=(6, 12), bring="エプロン、三角巾、手ふきタオル",
    ),
    Programme(
        "手話で話そう 入門講座", "welfare-volunteer", ("everyone",),
        "あいさつや自己紹介など、日常で使える手話を基礎から学びます。",
        "ろう者の講師と手話通訳者が担当します。手話の背景にあるろう文化についても学び、"
        "修了後は地域の手話サークルを紹介します。",
        kinds=HALLS, sessions=6, slot="evening", capacity=20, application="first_come",
        accessibility=("sign-language",), lecturer="ろう者講師、手話通訳者",
    ),
    Programme(
        "野鳥観察会", "nature-environment", ("everyone", "elementary"),
        "双眼鏡を使って、身近な公園にすむ野鳥を観察します。",
        "日本野鳥の会の会員が案内役です。鳴き声の聞き分け方や、季節ごとに見られる鳥の話も交えて"
        "公園内をゆっくり歩きます。小雨決行。",
        kinds=(*HALLS, "citizens_group"), days="weekend", slot="09:00", minutes=150, capacity=20,
        application="first_come", bring="双眼鏡（貸出あり）、飲み物、帽子",
    ),
    Programme(
        "パソコン入門講座", "ict", ("seniors",),
        "電源の入れ方、マウスとキーボードの使い方から始めるパソコン講座です。",
        "文字の入力、インターネットでの調べもの、メールの送り方まで、1人1台のパソコンで"
        "ゆっくり進めます。サポートボランティアが操作をお手伝いします。",
        kinds=HALLS, sessions=4, slot="afternoon", capacity=12, application="lottery",
        fee=0, lecturer="パソコンボランティアの会",
    ),
    Programme(
        "スマートフォンなんでも相談会", "ict", ("seniors",),
        "スマートフォンの「ちょっと困った」に、ボランティアが1対1でお答えします。",
        "LINEの使い方、写真の整理、マイナンバーカードの読み取りなど、ご自分のスマートフォンを"
        "お持ちいただき、困っていることをご相談ください。1人30分程度です。",
        kinds=(*HALLS, "library"), repeat=2, slot="afternoon", minutes=180, capacity=12,
        application="first_come", bring="ご自分のスマートフォン、充電ケーブル",
    ),
    Programme(
        "はじめての英会話", "languages", ("working-age", "everyone"),
        "旅行や道案内で使える、やさしい英会話を少人数で練習します。",
        "中学英語の復習から始め、ペアワークで話す時間をたっぷり取ります。"
        "外国人住民のゲストを招いた交流の回もあります。",
        kinds=HALLS, sessions=6, slot="evening", minutes=90, fee=1800, fee_note="テキスト代",
        capacity=18, application="lottery", lecturer="英語講師（市内在住）",
    ),
    Programme(
        "韓国語入門 ハングルを読もう", "languages", ("everyone",),
        "ハングルの仕組みを学び、自分の名前が書けるようになることを目指します。",
        "文字の成り立ちと発音のルールを学び、簡単なあいさつを練習します。"
        "韓国の食文化や暮らしの話も楽しめます。",
        kinds=HALLS, sessions=5, slot="afternoon", minutes=90, fee=500, fee_note="教材費",
        capacity=20, application="first_come",
    ),
    Programme(
        "防災講座「わが家の備え」", "disaster-prevention", ("everyone", "parents"),
        "家具の固定、備蓄品、避難の判断まで、家庭でできる地震への備えを学びます。",
        "市の防災担当職員と防災士が講師です。ハザードマップの見方を確認し、"
        "非常持ち出し袋の中身を実物で紹介します。",
        kinds=HALLS, slot="10:00", days="weekend", minutes=120, capacity=40,
        application="none", lecturer="防災士、市防災担当職員", accessibility=("captioning",),
    ),
    Programme(
        "子育て中のリフレッシュ講座", "parenting", ("parents",),
        "子育て中の方が、自分のための時間をつくる講座です。保育があります。",
        "ハーブティーを楽しみながら、子育ての悩みや工夫を語り合います。"
        "お子さんは別室で保育ボランティアがお預かりします。",
        kinds=HALLS, sessions=3, slot="10:00", days="weekday", minutes=120, capacity=15,
        application="first_come", childcare=True,
    ),
    Programme(
        "赤ちゃんとリトミック", "music", ("infants-parents",),
        "音楽に合わせて体を動かし、親子でふれあう時間を楽しみます。",
        "歌や手遊び、楽器あそびを通して、赤ちゃんの感性をはぐくみます。"
        "0歳から2歳のお子さんと保護者が対象です。",
        kinds=(*HALLS, "childrens_hall"), repeat=2, slot="10:30", days="weekday", minutes=45,
        capacity=15, application="first_come", age=(0, 2),
    ),
    Programme(
        "親子で楽しむ科学実験", "science-experiments", ("elementary", "parents"),
        "スライムづくりや空気砲で、身近な科学のふしぎを体験します。",
        "大学生の科学ボランティアが、実験の仕組みを分かりやすく説明します。"
        "作ったものは持ち帰れます。",
        kinds=(*HALLS, "childrens_hall"), days="weekend", slot="13:30", minutes=120, fee=200,
        fee_note="材料費", capacity=20, application="lottery", age=(6, 12),
    ),
    Programme(
        "星空観察会", "astronomy-earth", ("everyone", "elementary"),
        "天体望遠鏡で月や惑星を観察します。曇天・雨天時は室内でプラネタリウム解説。",
        "天文ボランティアが、季節の星座の見つけ方を案内します。小学生は保護者と一緒にご参加ください。",
        kinds=HALLS, slot="18:30", minutes=90, capacity=30, application="first_come",
        bring="懐中電灯（赤いセロハンを貼ったもの）",
    ),
    Programme(
        "はじめての俳句", "literature", ("seniors", "everyone"),
        "五・七・五で身近な季節を詠む、俳句の入門講座です。",
        "季語の探し方、言葉の選び方を学び、毎回句会形式で互いの作品を味わいます。",
        kinds=HALLS, sessions=4, every_days=14, slot="afternoon", capacity=20,
        application="first_come", lecturer="俳人",
    ),
    Programme(
        "源氏物語を読む", "literature", ("seniors",),
        "原文と現代語訳を対照しながら、源氏物語の名場面を読み進めます。",
        "平安時代の暮らしや和歌の背景を解説しながら、物語の魅力を味わいます。",
        kinds=HALLS, sessions=6, slot="morning", fee=0, capacity=40, application="lottery",
        lecturer="大学名誉教授（国文学）",
    ),
    Programme(
        "郷土の歴史散歩", "history-heritage", ("everyone", "seniors"),
        "学芸員の案内で、まちに残る史跡や古道を歩きます。",
        "約4キロのコースを、途中休憩をはさみながら歩きます。歩きやすい靴でご参加ください。",
        kinds=HALLS, days="weekend", slot="09:30", minutes=180, capacity=25,
        application="lottery", lecturer="市学芸員", bring="飲み物、雨具",
    ),
    Programme(
        "家庭菜園入門", "agriculture", ("everyone",),
        "プランターでできる野菜づくりを、土づくりから学びます。",
        "ミニトマトやリーフレタスなど育てやすい野菜を題材に、種まき・植え付け・水やりのこつを"
        "実習します。苗のお土産つき。",
        kinds=HALLS, sessions=3, every_days=14, slot="10:00", fee=500, fee_note="苗・土代",
        capacity=20, application="first_come",
    ),
    Programme(
        "スマホで上手に撮る写真教室", "photo-video", ("everyone", "seniors"),
        "構図と光の使い方を学び、スマートフォンで見違える写真を撮りましょう。",
        "1回目は室内で基本を学び、2回目は近くの公園で撮影実習をします。"
        "最後に撮った写真をみんなで鑑賞します。",
        kinds=HALLS, sessions=2, slot="afternoon", capacity=15, application="first_come",
        bring="スマートフォン",
    ),
    Programme(
        "茶道体験 はじめてのお点前", "traditional-arts", ("everyone", "teens"),
        "お茶の点て方、いただき方を体験します。正座ができない方は椅子席もあります。",
        "裏千家の講師が、茶道の心とふるまいをやさしく教えます。和菓子つき。",
        kinds=HALLS, days="weekend", slot="13:30", minutes=90, fee=500, fee_note="お茶・和菓子代",
        capacity=12, application="first_come",
    ),
    Programme(
        "季節の生け花教室", "traditional-arts", ("everyone",),
        "季節の花材で、基本の生け方を学びます。",
        "毎回違う花材を使い、花の向きや高さの決め方を実習します。作品は持ち帰れます。",
        kinds=HALLS, sessions=3, every_days=14, slot="afternoon", fee=2400, fee_note="花材費（3回分）",
        capacity=12, application="first_come", bring="花ばさみ、持ち帰り用の袋",
    ),
    Programme(
        "はじめての編み物", "handicrafts", ("everyone",),
        "かぎ針でコースターとミニバッグを編みます。",
        "くさり編み、細編みの基本から、少しずつ模様編みに挑戦します。",
        kinds=HALLS, sessions=4, slot="morning", fee=700, fee_note="毛糸代", capacity=15,
        application="first_come",
    ),
    Programme(
        "暮らしの整理収納講座", "living", ("working-age", "parents", "seniors"),
        "片付けが続く仕組みづくりを、整理収納アドバイザーが教えます。",
        "持ち物の分け方、しまい方、家族と片付けを分担するこつを、事例を交えて紹介します。",
        kinds=HALLS, slot="10:00", minutes=120, capacity=30, application="first_come",
        childcare=True,
    ),
    Programme(
        "だまされない！消費者トラブル講座", "consumer", ("seniors", "everyone"),
        "電話や訪問、ネットでの悪質商法の手口と、断り方を学びます。",
        "消費生活相談員が最近の相談事例を紹介し、寸劇で断り方を練習します。",
        kinds=HALLS, slot="13:30", minutes=90, capacity=40, application="none",
        lecturer="消費生活相談員",
    ),
    Programme(
        "人権講演会「みんなちがって、みんないい」", "human-rights", ("everyone",),
        "身近な差別や偏見について考える講演会です。",
        "当事者の体験談を聞き、だれもが暮らしやすい地域をつくるために何ができるかを考えます。",
        kinds=HALLS, days="weekend", slot="14:00", minutes=90, capacity=80, application="none",
        accessibility=("sign-language", "captioning"),
    ),
    Programme(
        "認知症サポーター養成講座", "welfare-volunteer", ("everyone",),
        "認知症について正しく知り、地域で見守る「認知症サポーター」になる講座です。",
        "キャラバン・メイトが講師を務め、認知症の基礎知識と接し方のポイントを学びます。"
        "受講者にはオレンジリングをお渡しします。",
        kinds=HALLS, slot="14:00", minutes=90, capacity=30, application="first_come",
    ),
    Programme(
        "これからの終活セミナー", "living", ("seniors",),
        "エンディングノートの書き方、相続の基礎など、これからの備えを学びます。",
        "司法書士とファイナンシャルプランナーが講師です。個別相談の時間もあります。",
        kinds=HALLS, slot="13:30", minutes=120, capacity=40, application="first_come",
    ),
    Programme(
        "ボッチャ体験会", "sport", ("everyone", "disabilities"),
        "障がいの有無にかかわらず楽しめるパラスポーツ「ボッチャ」を体験します。",
        "ルール説明のあと、チームに分かれて試合をします。車いすの方も参加できます。",
        kinds=HALLS, days="weekend", slot="10:00", minutes=120, capacity=30, application="none",
        accessibility=("wheelchair",),
    ),
    Programme(
        "みんなで歌おう 歌声サロン", "music", ("seniors",),
        "懐かしい歌謡曲や唱歌を、ピアノ伴奏で一緒に歌います。",
        "歌詞カードを用意します。発声の前に軽い体操も行います。",
        kinds=HALLS, repeat=2, slot="14:00", days="weekday", minutes=90, fee=200,
        fee_note="歌詞カード代", capacity=40, application="none",
    ),
    Programme(
        "子ども将棋教室", "recreation", ("elementary",),
        "駒の動かし方から、初めての対局まで。",
        "将棋連盟支部の指導員が、レベルに合わせて教えます。保護者の見学もできます。",
        kinds=(*HALLS, "childrens_hall"), sessions=4, days="weekend", slot="13:00", minutes=90,
        capacity=20, application="first_come", age=(6, 12),
    ),
    Programme(
        "大人のための読書会", "reading", ("everyone",),
        "課題本を読んで感想を語り合う、気軽な読書会です。",
        "毎回1冊の本を取り上げ、司書が進行役を務めます。読み終えていなくても参加できます。",
        kinds=(*HALLS, "library"), repeat=2, slot="19:00", minutes=90, capacity=15,
        application="first_come",
    ),
    Programme(
        "傾聴ボランティア入門", "welfare-volunteer", ("seniors", "working-age"),
        "相手の話に耳を傾ける「傾聴」の基本を学び、ボランティア活動につなげます。",
        "ロールプレイで聴き方を練習し、修了後は市内の施設での活動を紹介します。",
        kinds=HALLS, sessions=3, slot="afternoon", capacity=20, application="first_come",
    ),
    Programme(
        "人生100年時代のマネー講座", "society-economy", ("working-age", "seniors"),
        "家計の見直し、年金のしくみ、NISAの基本を中立の立場で解説します。",
        "特定の金融商品の勧誘は一切ありません。ご家庭の状況に合わせた考え方を学びます。",
        kinds=HALLS, slot="19:00", minutes=90, capacity=40, application="first_come",
        lecturer="ファイナンシャルプランナー",
    ),
    Programme(
        "ストレスと上手につきあう心理学", "philosophy-psychology", ("working-age", "everyone"),
        "ストレスの仕組みと、日常でできるセルフケアを心理学から学びます。",
        "公認心理師が講師です。呼吸法やマインドフルネスの簡単な実習もあります。",
        kinds=HALLS, sessions=2, slot="19:00", minutes=90, capacity=30, application="first_come",
        lecturer="公認心理師",
    ),
    Programme(
        "再就職に役立つパソコンスキル", "career", ("working-age", "parents"),
        "文書作成と表計算の基本を、再就職を目指す方向けに学びます。保育があります。",
        "履歴書の作成、表計算での簡単な集計など、仕事で使う操作を実習します。",
        kinds=HALLS, sessions=4, days="weekday", slot="10:00", capacity=12, application="lottery",
        childcare=True,
    ),
    Programme(
        "やさしい日本語で話そう", "international", ("everyone", "foreign-residents"),
        "外国人住民に伝わる「やさしい日本語」の使い方を学び、実際に会話します。",
        "前半は言い換えのこつを学び、後半は外国人住民と一緒にゲームをしながら交流します。",
        kinds=HALLS, days="weekend", slot="14:00", minutes=120, capacity=30, application="none",
        accessibility=("easy-japanese",),
    ),
    Programme(
        "中高生のための放課後スタディルーム", "schooling", ("teens",),
        "中学生・高校生が自由に使える学習スペース。大学生ボランティアが質問に答えます。",
        "定期テスト前の勉強や宿題に。途中の出入りは自由です。",
        kinds=HALLS, repeat=3, days="weekday", slot="16:00", minutes=150, application="none",
        age=(12, 18),
    ),
    Programme(
        "多世代交流 ボードゲームの日", "recreation", ("everyone", "elementary", "seniors"),
        "子どもから高齢者まで、ボードゲームで世代をこえて遊びます。",
        "定番のゲームから話題の新作まで30種類以上を用意します。ルールはスタッフが説明します。",
        kinds=(*HALLS, "childrens_hall"), days="weekend", slot="13:00", minutes=180,
        application="none",
    ),
)


KOGANEI = MunicipalityData(
    code="132101", name="小金井市", kana="こがねいし", prefecture="東京都", slug="koganei",
    area_code="042", pool_courses=34,
    venues=(
        VenueData("kg-kominkan-honkan", "小金井市公民館 本館", "こがねいしこうみんかん ほんかん",
                  "東京都小金井市本町1-7-8", 35.7036, 139.5049,
                  "JR中央線 武蔵小金井駅北口から徒歩8分", "駐車場はありません。",
                  (*STEP_FREE, "hearing-loop")),
        VenueData("kg-kominkan-nukuikita", "小金井市公民館 貫井北分館", "こがねいしこうみんかん ぬくいきたぶんかん",
                  "東京都小金井市貫井北町1-9-1", 35.7112, 139.4983,
                  "JR中央線 武蔵小金井駅北口から京王バス「学芸大東門」下車 徒歩3分", "",
                  (*STEP_FREE, "nursing-room")),
        VenueData("kg-kominkan-higashi", "小金井市公民館 東分館", "こがねいしこうみんかん ひがしぶんかん",
                  "東京都小金井市東町4-37-26", 35.6994, 139.5248,
                  "JR中央線 東小金井駅南口から徒歩5分", ""),
        VenueData("kg-kominkan-midori", "小金井市公民館 緑分館", "こがねいしこうみんかん みどりぶんかん",
                  "東京都小金井市緑町5-13-24", 35.7129, 139.5074,
                  "JR中央線 武蔵小金井駅北口から徒歩15分、CoCoバス「緑町」下車", "", ("step-free",)),
        VenueData("kg-kominkan-nukuiminami", "小金井市公民館 貫井南分館", "こがねいしこうみんかん ぬくいみなみぶんかん",
                  "東京都小金井市貫井南町3-8-7", 35.6916, 139.4957,
                  "JR中央線 武蔵小金井駅南口から徒歩15分", ""),
        VenueData("kg-library", "小金井市立図書館 本館", "こがねいしりつとしょかん ほんかん",
                  "東京都小金井市緑町4-1-1", 35.7102, 139.5110,
                  "JR中央線 武蔵小金井駅北口から徒歩12分", "", (*STEP_FREE, "nursing-room")),
        VenueData("kg-jidokan", "小金井市本町児童館", "こがねいしほんちょうじどうかん",
                  "東京都小金井市本町2-20-2", 35.7049, 139.5088,
                  "JR中央線 武蔵小金井駅北口から徒歩7分", "", ("step-free", "nursing-room")),
        VenueData("kg-hall", "小金井 宮地楽器ホール（市民交流センター）", "こがねい みやちがっきほーる",
                  "東京都小金井市本町6-14-45", 35.7003, 139.5052,
                  "JR中央線 武蔵小金井駅南口すぐ", "",
                  (*STEP_FREE, "accessible-parking", "hearing-loop", "nursing-room")),
        VenueData("kg-bunkazai", "小金井市文化財センター", "こがねいしぶんかざいせんたー",
                  "東京都小金井市緑町3-6-33", 35.7095, 139.5143,
                  "JR中央線 東小金井駅北口から徒歩15分", "", ("step-free",)),
        VenueData("kg-gym", "小金井市総合体育館", "こがねいしそうごうたいいくかん",
                  "東京都小金井市関野町1-13-1", 35.7118, 139.4962,
                  "JR中央線 武蔵小金井駅北口から京王バス「小金井公園西口」下車", "有料駐車場あり。",
                  (*STEP_FREE, "accessible-parking")),
        VenueData("kg-gakugei", "東京学芸大学 小金井キャンパス", "とうきょうがくげいだいがく",
                  "東京都小金井市貫井北町4-1-1", 35.7079, 139.4926,
                  "JR中央線 国分寺駅南口から徒歩20分、武蔵小金井駅北口から京王バス「学芸大正門」下車", ""),
        VenueData("kg-noko", "東京農工大学 小金井キャンパス", "とうきょうのうこうだいがく",
                  "東京都小金井市中町2-24-16", 35.6990, 139.5187,
                  "JR中央線 東小金井駅南口から徒歩8分", ""),
        VenueData("kg-park", "都立武蔵野公園（くじら山下広場）", "とりつむさしのこうえん",
                  "東京都小金井市前原町5丁目", 35.6836, 139.5045,
                  "JR中央線 武蔵小金井駅南口から京王バス「二枚橋」下車 徒歩5分", "公園駐車場（有料）あり。",
                  ("accessible-toilet",)),
    ),
    providers=(
        ProviderData("kg-shogai", "小金井市 生涯学習課", "こがねいし しょうがいがくしゅうか",
                     "city_department", "kg-hall",
                     description="市の生涯学習の総合窓口。市民講座、文化祭、体育祭などを担当します。"),
        ProviderData("kg-kominkan-honkan", "小金井市公民館 本館", "こがねいしこうみんかん ほんかん",
                     "kominkan", "kg-kominkan-honkan",
                     description="高齢者学級、成人大学講座、青年学級など公民館主催事業の拠点です。"),
        ProviderData("kg-kominkan-nukuikita", "小金井市公民館 貫井北分館", "こがねいしこうみんかん ぬくいきたぶんかん",
                     "kominkan", "kg-kominkan-nukuikita",
                     description="若者が講座を企画するYAサポーターの活動拠点です。"),
        ProviderData("kg-kominkan-higashi", "小金井市公民館 東分館", "こがねいしこうみんかん ひがしぶんかん",
                     "kominkan", "kg-kominkan-higashi"),
        ProviderData("kg-kominkan-midori", "小金井市公民館 緑分館", "こがねいしこうみんかん みどりぶんかん",
                     "kominkan", "kg-kominkan-midori"),
        ProviderData("kg-kominkan-nukuiminami", "小金井市公民館 貫井南分館", "こがねいしこうみんかん ぬくいみなみぶんかん",
                     "kominkan", "kg-kominkan-nukuiminami"),
        ProviderData("kg-library", "小金井市立図書館", "こがねいしりつとしょかん", "library", "kg-library",
                     description="本館と分室で、おはなし会や電子書籍の案内を行っています。"),
        ProviderData("kg-jidokan", "小金井市本町児童館", "こがねいしほんちょうじどうかん", "childrens_hall",
                     "kg-jidokan"),
        ProviderData("kg-gakugei", "東京学芸大学", "とうきょうがくげいだいがく", "university", "kg-gakugei",
                     trusted=False, description="小金井市と包括連携協定を結ぶ教員養成の大学です。"),
        ProviderData("kg-noko", "東京農工大学", "とうきょうのうこうだいがく", "university", "kg-noko",
                     trusted=False, description="農学と工学の大学。小金井キャンパスは工学部です。"),
        ProviderData("kg-ict-npo", "NPO法人 こがねいICTサポートの会", "えぬぴーおーほうじん こがねいあいしーてぃーさぽーとのかい",
                     "npo", "kg-kominkan-higashi", trusted=False,
                     description="シニアのスマートフォン・パソコン利用を支えるボランティア団体です。"),
        ProviderData("kg-birds", "はけの森 野鳥の会", "はけのもり やちょうのかい", "citizens_group", "kg-park",
                     trusted=False, description="野川と武蔵野公園で月例の探鳥会を開いています。"),
    ),
    programmes=(
        Programme(
            "青少年のための科学の祭典 小金井大会", "science-experiments", ("elementary", "teens", "parents"),
            "科学の実験や工作のブースが一堂に集まる、子どもも大人も楽しめる科学のお祭りです。",
            "市内の小中学校の先生、大学生、市民団体が40以上のブースを出展します。"
            "スライム、電子工作、顕微鏡観察など、その場で体験できます。申込不要、入退場自由です。",
            hosts=("kg-shogai",), venue="kg-gakugei", sessions=2, every_days=1, days="weekend",
            slot="10:00", minutes=360, application="none", accessibility=("wheelchair",),
            title_en="Science Festival for Young People, Koganei",
        ),
        Programme(
            "ちいさな子のためのおはなし会", "reading", ("infants-parents",),
            "絵本の読み聞かせ、わらべうた、手遊びを楽しむ30分です。",
            "0歳から3歳くらいのお子さんと保護者が対象です。図書館の司書とボランティアが担当します。"
            "申込不要、直接おはなしの部屋へお越しください。",
            hosts=("kg-library",), repeat=4, days="weekday", slot="10:30", minutes=30,
            application="none", age=(0, 3),
        ),
        Programme(
            "高齢者学級「けやき学級」", "adult-education", ("seniors",),
            "時代に即した課題を学び合う、公民館本館の高齢者学級です。",
            "健康、地域の歴史、暮らしの法律など毎回テーマを変えて専門の講師を招きます。"
            "学級生が運営に参加し、仲間づくりの場にもなっています。",
            hosts=("kg-kominkan-honkan",), sessions=6, days="weekday", slot="13:30", capacity=40,
            application="first_come",
        ),
        Programme(
            "高齢者学級「くりのみ学級」", "adult-education", ("seniors",),
            "東分館の高齢者学級。歌と体操、地域の話題で学び合います。",
            "学級生の企画による見学会や、地域の小学校との交流会も予定しています。",
            hosts=("kg-kominkan-higashi",), sessions=6, days="weekday", slot="10:00", capacity=30,
            application="first_come",
        ),
        Programme(
            "高齢者学級「はなみずき学級」", "adult-education", ("seniors",),
            "緑分館の高齢者学級。暮らしに役立つ知識を楽しく学びます。",
            "スマートフォンの基本、食と健康、詐欺被害の防止など、身近なテーマを取り上げます。",
            hosts=("kg-kominkan-midori",), sessions=6, days="weekday", slot="13:30", capacity=30,
            application="first_come", status="cancelled",
            reason="講師の体調不良のため、今期の学級は中止します。申込済みの方には個別にご連絡します。",
        ),
        Programme(
            "高齢者学級「みどり・木の樹学級」", "adult-education", ("seniors",),
            "貫井南分館の高齢者学級。自然と歴史をテーマに学びます。",
            "野川周辺の自然観察や、はけの道の歴史散歩など、外に出る回も予定しています。",
            hosts=("kg-kominkan-nukuiminami",), sessions=6, days="weekday", slot="10:00",
            capacity=30, application="first_come",
        ),
        Programme(
            "生きがい広場", "adult-education", ("seniors",),
            "貫井北分館で開く、高齢者の学びと交流の広場です。",
            "講話、軽体操、茶話会の三部構成。初めての方も見学できます。",
            hosts=("kg-kominkan-nukuikita",), sessions=4, every_days=14, days="weekday",
            slot="13:30", capacity=30, application="first_come",
        ),
        Programme(
            "成人大学講座「食と農の科学」", "agriculture", ("working-age", "everyone"),
            "東京農工大学の教員を講師に迎え、食と農業の最前線を学ぶ連続講座です。",
            "土と微生物、都市農業、食品の安全性などを、研究の現場の話を交えて解説します。"
            "仕事帰りに参加できる夜間講座です。",
            hosts=("kg-kominkan-honkan",), sessions=6, slot="19:00", minutes=90, capacity=40,
            application="lottery", lecturer="東京農工大学 農学部 教員",
        ),
        Programme(
            "成人大学講座「武蔵野の歴史を読む」", "history-heritage", ("everyone",),
            "古地図と古文書から、武蔵野の村と玉川上水の歴史をたどります。",
            "最終回は玉川上水沿いの史跡を歩きます。",
            hosts=("kg-kominkan-midori",), sessions=5, slot="afternoon", capacity=40,
            application="lottery", lecturer="市史編さん委員",
        ),
        Programme(
            "東京学芸大学 公開講座「子どもの学びと遊び」", "schooling", ("parents", "everyone"),
            "教育学の研究者が、遊びが子どもの育ちにどう関わるかを解説します。",
            "包括連携協定に基づく公開講座です。子育て中の方、学校や地域で子どもに関わる方に"
            "おすすめします。",
            hosts=("kg-gakugei",), sessions=3, days="weekend", slot="13:00", minutes=120,
            fee=3000, fee_note="3回分", capacity=60, application="first_come", childcare=True,
        ),
        Programme(
            "東京農工大学 市民公開講座「身近な昆虫と植物の科学」", "nature-environment", ("everyone",),
            "キャンパスの植物と昆虫を題材に、生き物どうしの関係を学びます。",
            "講義のあと、キャンパス内で観察を行います。",
            hosts=("kg-noko",), days="weekend", slot="13:30", minutes=150, capacity=80,
            application="first_come", status="submitted",
        ),
        Programme(
            "生活日本語教室", "international", ("foreign-residents",),
            "Everyday Japanese for residents. 外国籍の市民が暮らしの日本語を学び、交流します。",
            "ボランティアと少人数で、買い物、病院、役所の手続きなど、生活の場面で使う日本語を"
            "練習します。いつからでも参加できます。Free of charge; you can join any week.",
            hosts=("kg-kominkan-higashi",), sessions=8, days="weekend", slot="10:00", minutes=120,
            application="none", accessibility=("easy-japanese",), title_en="Everyday Japanese class",
            languages=("ja", "en"),
        ),
        Programme(
            "青年学級（みんなの会）", "welfare-volunteer", ("disabilities", "young-adults"),
            "障がいのある方の自立のための学習活動と交流の場です。",
            "調理実習、スポーツ、外出活動などを、スタッフと一緒に計画して行います。",
            hosts=("kg-kominkan-honkan",), sessions=4, every_days=14, days="weekend",
            slot="13:00", minutes=180, application="first_come", capacity=25,
            accessibility=("written-communication",),
        ),
        Programme(
            "ボランティアセミナー 地域で活躍する第一歩", "welfare-volunteer", ("everyone",),
            "市内のさまざまなボランティア活動を知り、自分に合った活動を見つけるセミナーです。",
            "活動団体の紹介と、先輩ボランティアとの座談会を行います。",
            hosts=("kg-shogai",), venue="kg-kominkan-honkan", days="weekend", slot="14:00",
            capacity=50, application="first_come",
        ),
        Programme(
            "YAサポーター 企画会議", "adult-education", ("teens", "young-adults"),
            "小学校高学年から25歳くらいまでの若者が、公民館の講座を自分たちで企画します。",
            "やってみたい講座のアイデアを出し合い、講師探しから当日の運営まで一緒に考えます。",
            hosts=("kg-kominkan-nukuikita",), sessions=4, every_days=14, slot="18:00",
            minutes=90, application="none", age=(10, 25),
        ),
        Programme(
            "文化財センター 郷土の歴史講座「小金井の遺跡と出土品」", "history-heritage", ("everyone",),
            "市内の遺跡から出土した土器や石器を手に取りながら、小金井の歴史をたどります。",
            "常設展示の解説つき。学芸員が発掘調査の成果を紹介します。",
            hosts=("kg-shogai",), venue="kg-bunkazai", days="weekend", slot="14:00", minutes=90,
            capacity=30, application="first_come",
        ),
        Programme(
            "市史編さん講演会「近代の小金井」", "history-heritage", ("everyone", "seniors"),
            "市史編さん事業の調査成果から、明治・大正期の小金井を紹介します。",
            "新たに見つかった写真や日記を手がかりに、当時の暮らしをひもときます。",
            hosts=("kg-shogai",), venue="kg-hall", days="weekend", slot="14:00", minutes=90,
            capacity=150, application="none", accessibility=("captioning",),
        ),
        Programme(
            "小金井環境フォーラム", "nature-environment", ("everyone",),
            "みどりと水を守る市民活動の発表と、これからの環境づくりを話し合うフォーラムです。",
            "市内の環境団体の活動報告、基調講演、パネルディスカッションを行います。",
            hosts=("kg-shogai",), venue="kg-hall", days="weekend", slot="13:30", minutes=180,
            capacity=200, application="none",
        ),
        Programme(
            "小金井市民文化祭", "fine-arts", ("everyone",),
            "市民による手作りの文化の祭典。絵画、書、写真の展示と舞台発表があります。",
            "2日間にわたり、文化団体が日頃の成果を発表します。入場無料。",
            hosts=("kg-shogai",), venue="kg-hall", sessions=2, every_days=1, days="weekend",
            slot="10:00", minutes=420, application="none",
        ),
        Programme(
            "公民館まつり", "community", ("everyone",),
            "公民館を利用するサークルが、活動の成果を展示と発表で紹介します。",
            "模擬店、体験コーナー、舞台発表があります。サークル活動を始めたい方の相談にも応じます。",
            hosts=("kg-kominkan-honkan", "kg-kominkan-nukuikita"), sessions=2, every_days=1,
            days="weekend", slot="10:00", minutes=360, application="none",
        ),
        Programme(
            "市民体育祭", "sport", ("everyone",),
            "子どもから高齢者まで参加できる、市民の運動会です。",
            "玉入れ、綱引き、リレーなど、町会・自治会対抗の種目と自由参加の種目があります。",
            hosts=("kg-shogai",), venue="kg-gym", days="weekend", slot="09:00", minutes=360,
            application="none",
        ),
        Programme(
            "シニアのためのスマートフォン活用講座", "ict", ("seniors",),
            "生活に役立つスマートフォンの使い方を、少人数でていねいに学びます。",
            "電話とメール、写真、地図、災害情報の受け取り方まで、1人に1人のサポーターがつきます。"
            "貸出用スマートフォンもあります。",
            hosts=("kg-ict-npo",), venue="kg-kominkan-higashi", sessions=3, days="weekday",
            slot="13:30", capacity=12, application="first_come", lecturer="NPO法人 こがねいICTサポートの会",
        ),
        Programme(
            "はじめてのLINE講座", "ict", ("seniors",),
            "家族や友人とLINEでやりとりできるようになる講座です。",
            "友だちの追加、メッセージと写真の送り方、ビデオ通話まで練習します。",
            hosts=("kg-ict-npo",), venue="kg-kominkan-honkan", days="weekday", slot="10:00",
            capacity=12, application="first_come", status="submitted",
        ),
        Programme(
            "スマホの写真整理講座", "ict", ("seniors",),
            "たまった写真を整理して、家族と共有する方法を学びます。",
            "アルバムの作り方とクラウドへの保存を練習します。",
            hosts=("kg-ict-npo",), venue="kg-kominkan-midori", days="weekday", slot="13:30",
            capacity=12, application="first_come", status="returned",
            reason="会場が緑分館になっていますが、チラシでは本館と案内されています。会場を確認のうえ再提出してください。",
        ),
        Programme(
            "消費生活講座「ネット通販・定期購入のトラブルを防ぐ」", "consumer", ("everyone", "seniors"),
            "「お試し」のつもりが定期購入に。ネット通販のトラブル事例と対処法を学びます。",
            "消費生活相談員が、実際の相談事例をもとに契約前の確認ポイントを解説します。",
            hosts=("kg-shogai",), venue="kg-kominkan-honkan", days="weekday", slot="14:00",
            minutes=90, capacity=40, application="none",
        ),
        Programme(
            "オンラインでつながる公民館講座「はじめてのZoom」", "ict", ("seniors", "everyone"),
            "自宅から公民館の講座に参加するために、Zoomの使い方を学びます。",
            "会場とオンラインの同時開催です。ご自宅から参加する方には事前に接続テストをご案内します。",
            hosts=("kg-kominkan-nukuikita",), days="weekday", slot="14:00", minutes=90,
            capacity=20, application="first_come", format="hybrid",
        ),
        Programme(
            "電子書籍の借り方教室", "reading", ("seniors", "everyone"),
            "図書館の電子書籍サービスの使い方を、実際に借りて読みながら覚えます。",
            "利用者カードとスマートフォンかタブレットをお持ちください。",
            hosts=("kg-library",), days="weekday", slot="14:00", minutes=60, capacity=10,
            application="first_come",
        ),
        Programme(
            "放課後子ども教室 昔あそびとけん玉", "recreation", ("elementary",),
            "地域のボランティアと一緒に、けん玉、こま、お手玉で遊びます。",
            "放課後の安全・安心な居場所づくりのための教室です。",
            hosts=("kg-jidokan",), sessions=4, days="weekday", slot="15:30", minutes=90,
            application="none", age=(6, 12),
        ),
        Programme(
            "児童館 わくわく工作クラブ", "handicrafts", ("elementary",),
            "牛乳パックや紙皿で、動くおもちゃを作ります。",
            "毎回ちがう工作に挑戦します。",
            hosts=("kg-jidokan",), repeat=3, days="weekend", slot="14:00", minutes=90, capacity=20,
            application="first_come", age=(6, 12),
        ),
        Programme(
            "野川・武蔵野公園 探鳥会", "nature-environment", ("everyone",),
            "野川沿いを歩き、カワセミやコゲラなど身近な野鳥を探します。",
            "初めての方には双眼鏡をお貸しします。",
            hosts=("kg-birds",), repeat=2, days="weekend", slot="08:30", minutes=150,
            application="none", status="submitted",
        ),
    ),
)


NISHITOKYO = MunicipalityData(
    code="132292", name="西東京市", kana="にしとうきょうし", prefecture="東京都", slug="nishitokyo",
    area_code="042", pool_courses=34,
    venues=(
        VenueData("nt-tanashi", "田無公民館", "たなしこうみんかん", "東京都西東京市南町5-6-18",
                  35.7261, 139.5408, "西武新宿線 田無駅南口から徒歩7分", "", (*STEP_FREE, "nursing-room")),
        VenueData("nt-library", "西東京市中央図書館", "にしとうきょうしちゅうおうとしょかん",
                  "東京都西東京市南町5-6-18", 35.7261, 139.5408, "西武新宿線 田無駅南口から徒歩7分", "",
                  (*STEP_FREE, "nursing-room")),
        VenueData("nt-yagisawa", "柳沢公民館", "やぎさわこうみんかん", "東京都西東京市柳沢1-15-1",
                  35.7217, 139.5519, "西武新宿線 西武柳沢駅北口から徒歩1分", ""),
        VenueData("nt-hoyaekimae", "保谷駅前公民館", "ほうやえきまえこうみんかん", "東京都西東京市東町3-14-30",
                  35.7481, 139.5669, "西武池袋線 保谷駅南口すぐ", "", (*STEP_FREE, "hearing-loop")),
        VenueData("nt-hibarigaoka", "ひばりが丘公民館", "ひばりがおかこうみんかん",
                  "東京都西東京市ひばりが丘北3-5-21", 35.7556, 139.5440,
                  "西武池袋線 ひばりヶ丘駅北口から徒歩10分", ""),
        VenueData("nt-yato", "谷戸公民館", "やとこうみんかん", "東京都西東京市谷戸町3-27-24",
                  35.7435, 139.5305, "西武池袋線 ひばりヶ丘駅南口から徒歩15分", "", ("step-free",)),
        VenueData("nt-shibakubo", "芝久保公民館", "しばくぼこうみんかん", "東京都西東京市芝久保町1-12-17",
                  35.7288, 139.5266, "西武新宿線 田無駅北口からバス「芝久保」下車", ""),
        VenueData("nt-komorebi", "保谷こもれびホール", "ほうやこもれびほーる", "東京都西東京市中町1-5-1",
                  35.7436, 139.5626, "西武池袋線 保谷駅南口から徒歩10分", "有料駐車場あり。",
                  (*STEP_FREE, "accessible-parking", "hearing-loop")),
        VenueData("nt-ecoplaza", "エコプラザ西東京", "えこぷらざにしとうきょう", "東京都西東京市保谷町1-2-30",
                  35.7347, 139.5560, "西武新宿線 西武柳沢駅北口から徒歩15分", ""),
        VenueData("nt-parite", "西東京市男女平等推進センター パリテ", "にしとうきょうしだんじょびょうどうすいしんせんたー",
                  "東京都西東京市田無町4-17-5", 35.7283, 139.5390, "西武新宿線 田無駅北口から徒歩3分", "",
                  (*STEP_FREE, "nursing-room")),
        VenueData("nt-farm", "東京大学 生態調和農学機構（東大農場）", "とうきょうだいがく せいたいちょうわのうがくきこう",
                  "東京都西東京市緑町1-1-1", 35.7369, 139.5412, "西武新宿線 田無駅北口から徒歩10分", "",
                  ("accessible-toilet",)),
        VenueData("nt-musashino-u", "武蔵野大学 武蔵野キャンパス", "むさしのだいがく", "東京都西東京市新町1-1-20",
                  35.7143, 139.5576, "JR中央線 三鷹駅北口から西武バス「武蔵野大学」下車", ""),
    ),
    providers=(
        ProviderData("nt-shakai", "西東京市教育委員会 社会教育課", "にしとうきょうしきょういくいいんかい しゃかいきょういくか",
                     "city_department", "nt-tanashi",
                     description="生涯学習情報総合窓口と生涯学習人材バンクを担当します。"),
        ProviderData("nt-tanashi", "田無公民館", "たなしこうみんかん", "kominkan", "nt-tanashi"),
        ProviderData("nt-yagisawa", "柳沢公民館", "やぎさわこうみんかん", "kominkan", "nt-yagisawa"),
        ProviderData("nt-hoyaekimae", "保谷駅前公民館", "ほうやえきまえこうみんかん", "kominkan", "nt-hoyaekimae"),
        ProviderData("nt-hibarigaoka", "ひばりが丘公民館", "ひばりがおかこうみんかん", "kominkan", "nt-hibarigaoka"),
        ProviderData("nt-yato", "谷戸公民館", "やとこうみんかん", "kominkan", "nt-yato"),
        ProviderData("nt-shibakubo", "芝久保公民館", "しばくぼこうみんかん", "kominkan", "nt-shibakubo"),
        ProviderData("nt-library", "西東京市図書館", "にしとうきょうしとしょかん", "library", "nt-library"),
        ProviderData("nt-ecoplaza", "エコプラザ西東京", "えこぷらざにしとうきょう", "city_department", "nt-ecoplaza"),
        ProviderData("nt-parite", "西東京市男女平等推進センター", "にしとうきょうしだんじょびょうどうすいしんせんたー",
                     "city_department", "nt-parite"),
        ProviderData("nt-todai", "東京大学 生態調和農学機構", "とうきょうだいがく せいたいちょうわのうがくきこう",
                     "university", "nt-farm", trusted=False),
        ProviderData("nt-musashino-u", "武蔵野大学", "むさしのだいがく", "university", "nt-musashino-u",
                     trusted=False),
        ProviderData("nt-kodomo-npo", "NPO法人 にしとうきょう子ども体験ネット", "えぬぴーおーほうじん にしとうきょうこどもたいけんねっと",
                     "npo", "nt-yato", trusted=False,
                     description="子どもの外遊びと自然体験の場をつくるNPOです。"),
    ),
    programmes=(
        Programme(
            "生涯学習なんでも相談会", "adult-education", ("everyone",),
            "「何を学べばいいか」「どこで学べるか」を、生涯学習情報総合窓口の職員がご一緒に考えます。",
            "講座、サークル、講師の情報を集めた窓口です。学んだことを地域で活かしたい方の相談にも"
            "応じます。予約不要です。",
            hosts=("nt-shakai",), repeat=3, days="weekday", slot="13:00", minutes=240,
            application="none",
        ),
        Programme(
            "生涯学習人材バンク 登録説明会", "adult-education", ("everyone", "seniors"),
            "得意なことや資格を、地域の講座や学校で活かしてみませんか。",
            "人材バンクの仕組み、登録の流れ、活動事例を紹介します。登録を検討中の方はどなたでもどうぞ。",
            hosts=("nt-shakai",), venue="nt-tanashi", days="weekend", slot="14:00", minutes=90,
            capacity=40, application="first_come",
        ),
        Programme(
            "市民企画講座「西東京の農と食をめぐる」", "agriculture", ("everyone",),
            "市民が企画した講座です。市内の農家を訪ね、都市農業と地場野菜の魅力を学びます。",
            "企画委員会の市民が、農家さんへの聞き取りから講座をつくりました。最終回は地場野菜を使った"
            "料理の試食会です。",
            hosts=("nt-hibarigaoka",), sessions=4, days="weekend", slot="10:00", capacity=24,
            application="lottery", fee=500, fee_note="試食材料費",
        ),
        Programme(
            "参加体験型ワークショップ「まちの居場所をつくろう」", "community", ("everyone", "young-adults"),
            "だれもが立ち寄れる地域の居場所を、参加者どうしで考えるワークショップです。",
            "市内の居場所づくりの実践者をゲストに迎え、グループで企画を練ります。",
            hosts=("nt-yagisawa",), sessions=3, slot="19:00", capacity=30, application="first_come",
        ),
        Programme(
            "学校支援ボランティア養成講座", "welfare-volunteer", ("everyone", "seniors"),
            "小・中学校で学習支援や読み聞かせを行うボランティアの養成講座です。",
            "子どもとの関わり方、学校での約束ごとを学び、最終回は学校見学を行います。",
            hosts=("nt-shakai",), venue="nt-shibakubo", sessions=3, days="weekday", slot="10:00",
            capacity=30, application="first_come",
        ),
        Programme(
            "援農ボランティア養成講座", "agriculture", ("everyone", "seniors"),
            "市内の農家で農作業を手伝う援農ボランティアになるための講座です。",
            "東大農場の圃場で、畑の準備、植え付け、収穫を実習します。",
            hosts=("nt-todai",), sessions=6, days="weekend", slot="09:30", minutes=150,
            capacity=20, application="lottery", fee=1000, fee_note="保険料・資材費",
        ),
        Programme(
            "東大農場 公開講座「都市の農地と生き物」", "nature-environment", ("everyone",),
            "都市に残る農地と林が、生き物のすみかとしてどんな役割を持つかを学びます。",
            "研究者の講義と、農場内の見学を行います。",
            hosts=("nt-todai",), days="weekend", slot="13:30", minutes=150, capacity=50,
            application="first_come", status="submitted",
        ),
        Programme(
            "親子リサイクル工作教室", "nature-environment", ("elementary", "parents"),
            "ペットボトルや牛乳パックで、おもちゃを作りながらごみの減らし方を学びます。",
            "エコプラザの職員が、リサイクルの流れをクイズで紹介します。",
            hosts=("nt-ecoplaza",), repeat=2, days="weekend", slot="10:00", minutes=120,
            capacity=15, application="first_come", age=(6, 12),
        ),
        Programme(
            "パリテ講座「家事・育児をシェアするコミュニケーション」", "parenting", ("parents", "working-age"),
            "家族で家事と育児を分かち合うための、話し合いのこつを学びます。保育があります。",
            "ワークシートで家事を「見える化」し、パートナーとの対話を練習します。",
            hosts=("nt-parite",), sessions=2, days="weekend", slot="10:00", capacity=20,
            application="first_come", childcare=True,
        ),
        Programme(
            "こもれびホール ロビーコンサート", "music", ("everyone",),
            "市内で活動する演奏家による、気軽に楽しめる無料のロビーコンサートです。",
            "約45分のプログラム。小さなお子さんもご一緒にどうぞ。",
            hosts=("nt-shakai",), venue="nt-komorebi", repeat=2, days="weekday", slot="12:15",
            minutes=45, application="none",
        ),
        Programme(
            "図書館で調べもの講座（レファレンス入門）", "reading", ("everyone",),
            "図書館の資料とデータベースを使った、調べものの方法を学びます。",
            "郷土資料、新聞記事データベース、国立国会図書館デジタルコレクションの使い方を紹介します。",
            hosts=("nt-library",), days="weekend", slot="14:00", minutes=90, capacity=20,
            application="first_come",
        ),
        Programme(
            "おはなし会", "reading", ("infants-parents", "elementary"),
            "絵本の読み聞かせ、紙芝居、手遊びを楽しみます。",
            "3歳から小学校低学年のお子さん向け。保護者の方もご一緒にどうぞ。",
            hosts=("nt-library",), repeat=4, days="weekend", slot="11:00", minutes=30,
            application="none",
        ),
        Programme(
            "武蔵野大学 市民講座「認知症の基礎知識と地域の支え合い」", "welfare-volunteer", ("everyone",),
            "看護学の研究者が、認知症の基礎知識と地域での支え合いについて話します。",
            "家族の介護経験者の話も交え、身近な地域でできることを考えます。",
            hosts=("nt-musashino-u",), sessions=2, days="weekend", slot="13:30", minutes=90,
            capacity=80, application="first_come",
        ),
        Programme(
            "親子で楽しむ自然体験 森の工作", "nature-environment", ("elementary", "parents"),
            "木の枝や木の実を使って、森の工作を楽しみます。",
            "屋外での活動です。汚れてもよい服装でご参加ください。",
            hosts=("nt-kodomo-npo",), days="weekend", slot="10:00", minutes=150, capacity=20,
            application="first_come", fee=300, fee_note="材料費・保険料", status="submitted",
        ),
        Programme(
            "子ども野外料理教室", "cooking", ("elementary",),
            "飯ごうでごはんを炊き、カレーを作ります。",
            "火起こしから片付けまで、子どもたちが自分で取り組みます。",
            hosts=("nt-kodomo-npo",), days="weekend", slot="10:00", minutes=240, capacity=20,
            application="lottery", fee=800, fee_note="材料費・保険料", status="returned",
            reason="火を使う活動のため、安全管理の体制（スタッフの人数、消火の準備）を説明に加えてください。",
        ),
        Programme(
            "姉妹都市 北杜市との交流講座「八ヶ岳の自然と暮らし」", "international", ("everyone",),
            "姉妹都市・北杜市の職員をゲストに、八ヶ岳山麓の自然と暮らしを紹介します。",
            "北杜市の特産品の試食もあります。",
            hosts=("nt-shakai",), venue="nt-hoyaekimae", days="weekend", slot="14:00", minutes=90,
            capacity=50, application="first_come",
        ),
    ),
)


TAMA = MunicipalityData(
    code="132241", name="多摩市", kana="たまし", prefecture="東京都", slug="tama",
    area_code="042", pool_courses=32,
    venues=(
        VenueData("tm-sekido", "関戸公民館（ヴィータ・コミューネ7・8階）", "せきどこうみんかん",
                  "東京都多摩市関戸4-72", 35.6509, 139.4469, "京王線 聖蹟桜ヶ丘駅西口から徒歩2分",
                  "ヴィータ・コミューネの有料駐車場をご利用ください。", (*STEP_FREE, "hearing-loop")),
        VenueData("tm-nagayama", "永山公民館（ベルブ永山3・4階）", "ながやまこうみんかん",
                  "東京都多摩市永山1-5", 35.6303, 139.4483, "京王線・小田急線 永山駅から徒歩2分", "",
                  (*STEP_FREE, "nursing-room")),
        VenueData("tm-library", "多摩市立中央図書館", "たましりつちゅうおうとしょかん", "東京都多摩市落合2-33",
                  35.6231, 139.4267, "京王線・小田急線・多摩モノレール 多摩センター駅から徒歩10分", "",
                  (*STEP_FREE, "nursing-room", "accessible-parking")),
        VenueData("tm-parthenon", "パルテノン多摩", "ぱるてのんたま", "東京都多摩市落合2-35",
                  35.6236, 139.4254, "多摩センター駅から徒歩5分", "",
                  (*STEP_FREE, "hearing-loop", "accessible-parking")),
        VenueData("tm-tomizawa", "旧富澤家住宅（多摩中央公園内）", "きゅうとみざわけじゅうたく", "東京都多摩市落合2-35",
                  35.6221, 139.4248, "多摩センター駅から徒歩10分", "", ()),
        VenueData("tm-fukushi", "多摩市総合福祉センター", "たましそうごうふくしせんたー", "東京都多摩市南野3-15-1",
                  35.6180, 139.4310, "多摩センター駅から徒歩12分", "", (*STEP_FREE, "accessible-parking")),
        VenueData("tm-tama-u", "多摩大学 多摩キャンパス", "たまだいがく", "東京都多摩市聖ヶ丘4-1-1",
                  35.6394, 139.4335, "聖蹟桜ヶ丘駅からバス「多摩大学」下車", ""),
        VenueData("tm-otsuma", "大妻女子大学 多摩キャンパス", "おおつまじょしだいがく", "東京都多摩市唐木田2-7-1",
                  35.6131, 139.4067, "小田急多摩線 唐木田駅から徒歩5分", ""),
    ),
    providers=(
        ProviderData("tm-shakai", "多摩市教育委員会 社会教育課", "たましきょういくいいんかい しゃかいきょういくか",
                     "city_department", "tm-sekido"),
        ProviderData("tm-sekido", "多摩市関戸公民館", "たましせきどこうみんかん", "kominkan", "tm-sekido"),
        ProviderData("tm-nagayama", "多摩市永山公民館", "たましながやまこうみんかん", "kominkan", "tm-nagayama"),
        ProviderData("tm-library", "多摩市立図書館", "たましりつとしょかん", "library", "tm-library"),
        ProviderData("tm-kenko", "多摩市 健幸まちづくり推進室", "たまし けんこうまちづくりすいしんしつ",
                     "city_department", "tm-fukushi",
                     description="だれもが健康で幸せに暮らせる「健幸都市」をめざす取組を進めます。"),
        ProviderData("tm-juku", "TAMA市民塾", "たましみんじゅく", "citizens_group", "tm-nagayama", trusted=False,
                     description="市民が講師となって企画・運営する市民企画（提案）型の講座です。"),
        ProviderData("tm-shakyo", "多摩ボランティア・市民活動支援センター", "たまぼらんてぃあしみんかつどうしえんせんたー",
                     "npo", "tm-nagayama", trusted=False),
        ProviderData("tm-tama-u", "多摩大学", "たまだいがく", "university", "tm-tama-u", trusted=False),
        ProviderData("tm-otsuma", "大妻女子大学", "おおつまじょしだいがく", "university", "tm-otsuma", trusted=False),
    ),
    programmes=(
        Programme(
            "TAMA市民塾「多摩丘陵の植物を楽しむ」", "nature-environment", ("everyone", "seniors"),
            "多摩丘陵に残る雑木林を歩き、季節の植物を観察します。",
            "市民講師が、植物の名前の調べ方や、里山の手入れの話を交えて案内します。",
            hosts=("tm-juku",), sessions=6, every_days=14, days="weekend", slot="09:30", minutes=150,
            capacity=20, application="lottery", fee=1200, fee_note="資料代・保険料（6回分）",
        ),
        Programme(
            "TAMA市民塾「はじめての落語鑑賞」", "traditional-arts", ("everyone",),
            "落語の歴史と聞きどころを学び、最終回は市民落語家の高座を楽しみます。",
            "古典落語の名作を取り上げ、話の背景にある江戸の暮らしを解説します。",
            hosts=("tm-juku",), sessions=4, slot="14:00", minutes=90, capacity=30,
            application="first_come", fee=800, status="submitted",
        ),
        Programme(
            "TAMA市民塾「デジタルカメラで撮る多摩の風景」", "photo-video", ("everyone",),
            "多摩の四季を写真に残す、カメラの基本と撮影実習の講座です。",
            "講義と屋外での撮影実習を交互に行い、最終回は合評会です。",
            hosts=("tm-juku",), sessions=5, days="weekend", slot="10:00", capacity=15,
            application="first_come", fee=1000,
        ),
        Programme(
            "シチズンシップ講座「選挙と政治を身近に」", "society-economy", ("teens", "young-adults"),
            "18歳で有権者になる若者と一緒に、政治や選挙について考える講座です。",
            "模擬投票や、市議会の傍聴をふまえたディスカッションを行います。",
            hosts=("tm-sekido",), sessions=3, days="weekend", slot="14:00", minutes=120,
            capacity=30, application="first_come", age=(15, 29),
        ),
        Programme(
            "SDGsを身近に考える市民講座", "community", ("everyone",),
            "食品ロス、エネルギー、多様性など、暮らしの中のSDGsを考えます。",
            "市内の企業や団体の取組を紹介し、わが家でできることをグループで話し合います。",
            hosts=("tm-nagayama",), sessions=3, slot="19:00", minutes=90, capacity=30,
            application="first_come",
        ),
        Programme(
            "オンライン講座「スマホでビデオ通話」", "ict", ("seniors",),
            "離れて暮らす家族と顔を見て話せるよう、ビデオ通話の使い方を学びます。",
            "自宅から参加できるオンライン講座です。事前に接続の練習日を設けます。",
            hosts=("tm-nagayama",), slot="14:00", minutes=60, capacity=15, application="first_come",
            format="online",
        ),
        Programme(
            "フレイル予防 いきいき健幸体操", "health", ("seniors",),
            "筋力・口腔・栄養の3つの面から、フレイルを予防する体操と講話です。",
            "保健師と歯科衛生士が講師です。体力測定で自分の状態を確認します。",
            hosts=("tm-kenko",), repeat=3, days="weekday", slot="10:00", minutes=90, capacity=30,
            application="none", accessibility=("wheelchair",),
        ),
        Programme(
            "健幸ウォーキング教室", "health", ("everyone", "seniors"),
            "正しい姿勢と歩き方を学び、多摩中央公園を歩きます。",
            "歩数計アプリの使い方も紹介します。",
            hosts=("tm-kenko",), venue="tm-parthenon", sessions=3, days="weekend", slot="09:30",
            minutes=120, capacity=30, application="first_come",
        ),
        Programme(
            "中央図書館 おはなし会", "reading", ("infants-parents",),
            "絵本と手遊び、わらべうたを楽しむ、乳幼児と保護者のためのおはなし会です。",
            "申込不要。直接おはなしのへやへお越しください。",
            hosts=("tm-library",), repeat=4, days="weekday", slot="11:00", minutes=30,
            application="none", age=(0, 3),
        ),
        Programme(
            "郷土資料講座「古地図で歩く多摩ニュータウン以前」", "history-heritage", ("everyone", "seniors"),
            "ニュータウン開発前の村の姿を、古地図と写真で読み解きます。",
            "図書館所蔵の郷土資料を使い、今の地図と重ね合わせます。",
            hosts=("tm-library",), days="weekend", slot="14:00", minutes=90, capacity=40,
            application="first_come",
        ),
        Programme(
            "旧富澤家住宅 昔あそびと季節のしつらえ", "history-heritage", ("elementary", "parents"),
            "江戸時代の農家住宅で、昔の遊びと暮らしを体験します。",
            "いろりの火を囲み、お手玉やおはじきで遊びます。",
            hosts=("tm-shakai",), venue="tm-tomizawa", days="weekend", slot="10:30", minutes=90,
            capacity=20, application="first_come",
        ),
        Programme(
            "パルテノン多摩 親子で楽しむクラシック", "music", ("infants-parents", "elementary", "parents"),
            "0歳から入場できる、親子のためのクラシックコンサートです。",
            "楽器紹介のコーナーもあります。",
            hosts=("tm-shakai",), venue="tm-parthenon", days="weekend", slot="11:00", minutes=60,
            fee=500, fee_note="大人1人（子ども無料）", capacity=300, application="first_come",
        ),
        Programme(
            "手話入門講座", "welfare-volunteer", ("everyone",),
            "あいさつや自己紹介から、手話の基本を学びます。",
            "修了後は、市内の手話サークルやボランティア活動を紹介します。",
            hosts=("tm-shakyo",), sessions=6, slot="19:00", minutes=90, capacity=20,
            application="first_come", accessibility=("sign-language",),
        ),
        Programme(
            "はじめてのボランティア入門講座", "welfare-volunteer", ("everyone", "young-adults"),
            "ボランティア活動の基本と、市内で参加できる活動を紹介します。",
            "活動中の団体との交流会があります。",
            hosts=("tm-shakyo",), repeat=2, days="weekend", slot="14:00", minutes=90, capacity=30,
            application="first_come",
        ),
        Programme(
            "多摩大学 公開講座「地域とビジネスの未来」", "society-economy", ("working-age", "everyone"),
            "多摩地域の産業と、これからの地域経済を考える公開講座です。",
            "企業経営者をゲストに招き、地域で働き、起業する可能性を議論します。",
            hosts=("tm-tama-u",), sessions=4, slot="19:00", minutes=90, capacity=60,
            application="first_come", fee=2000, fee_note="4回分",
        ),
        Programme(
            "大妻女子大学 公開講座「和食の知恵」", "cooking", ("everyone",),
            "だし、発酵、旬の食材など、和食に伝わる知恵を栄養学から学びます。",
            "調理デモンストレーションと試食があります。",
            hosts=("tm-otsuma",), sessions=2, days="weekend", slot="13:00", minutes=120,
            capacity=40, application="lottery", fee=1500,
        ),
        Programme(
            "多世代交流 まちの縁側カフェ", "community", ("everyone", "seniors", "parents"),
            "子育て世代と高齢者が気軽に集まり、おしゃべりを楽しむカフェです。",
            "お茶とお菓子を用意して待っています。",
            hosts=("tm-sekido",), repeat=3, days="weekday", slot="13:30", minutes=120,
            fee=100, fee_note="お茶代", application="none",
        ),
        Programme(
            "企業と学ぶ防災講座「マンションの備え」", "disaster-prevention", ("everyone",),
            "住宅メーカーの担当者と市の防災担当が、集合住宅の地震対策を解説します。",
            "企業連携による学習機会の一つです。",
            hosts=("tm-shakai",), venue="tm-nagayama", days="weekend", slot="10:00", minutes=90,
            capacity=40, application="first_come",
        ),
    ),
)


TACHIKAWA = MunicipalityData(
    code="132021", name="立川市", kana="たちかわし", prefecture="東京都", slug="tachikawa",
    area_code="042", pool_courses=36,
    venues=(
        VenueData("tc-center", "立川市生涯学習推進センター（女性総合センター・アイム）", "たちかわししょうがいがくしゅうすいしんせんたー",
                  "東京都立川市曙町2-36-2", 35.7006, 139.4170, "JR立川駅北口から徒歩7分",
                  "有料駐車場あり。", (*STEP_FREE, "hearing-loop", "nursing-room")),
        VenueData("tc-library", "立川市中央図書館", "たちかわしちゅうおうとしょかん", "東京都立川市錦町3-2-26",
                  35.6923, 139.4143, "JR立川駅南口から徒歩12分", "", (*STEP_FREE, "nursing-room")),
        VenueData("tc-nishiki", "錦学習館", "にしきがくしゅうかん", "東京都立川市錦町3-12-20",
                  35.6911, 139.4170, "JR立川駅南口から徒歩10分", ""),
        VenueData("tc-shibasaki", "柴崎学習館", "しばさきがくしゅうかん", "東京都立川市柴崎町5-1-6",
                  35.6942, 139.4031, "JR立川駅南口から徒歩15分", "", ("step-free",)),
        VenueData("tc-takamatsu", "高松学習館", "たかまつがくしゅうかん", "東京都立川市高松町2-9-1",
                  35.7062, 139.4144, "多摩モノレール 高松駅から徒歩5分", ""),
        VenueData("tc-saiwai", "幸学習館", "さいわいがくしゅうかん", "東京都立川市幸町4-55-5",
                  35.7195, 139.4234, "多摩モノレール 砂川七番駅から徒歩10分", ""),
        VenueData("tc-sunagawa", "砂川学習館", "すながわがくしゅうかん", "東京都立川市砂川町1-52-7",
                  35.7159, 139.3990, "多摩モノレール 砂川七番駅から徒歩8分", "", (*STEP_FREE, "nursing-room")),
        VenueData("tc-nishisuna", "西砂学習館", "にしすながくしゅうかん", "東京都立川市西砂町1-21-2",
                  35.7127, 139.3701, "JR青梅線 西立川駅からバス「西砂学習館」下車", "駐車場あり。",
                  (*STEP_FREE, "accessible-parking")),
        VenueData("tc-museum", "立川市歴史民俗資料館", "たちかわしれきしみんぞくしりょうかん",
                  "東京都立川市富士見町3-12-34", 35.6925, 139.3946, "JR立川駅南口からバス「富士見町三丁目」下車", "",
                  ("step-free",)),
        VenueData("tc-kominkaen", "川越道緑地古民家園", "かわごえみちりょくちこみんかえん", "東京都立川市砂川町8-1",
                  35.7227, 139.3909, "多摩モノレール 玉川上水駅から徒歩15分", "", ()),
        VenueData("tc-kunitachi-music", "国立音楽大学", "くにたちおんがくだいがく", "東京都立川市柏町5-5-1",
                  35.7247, 139.4129, "多摩モノレール 玉川上水駅から徒歩8分", "",
                  (*STEP_FREE, "hearing-loop")),
    ),
    providers=(
        ProviderData("tc-center", "立川市生涯学習推進センター", "たちかわしょうがいがくしゅうすいしんせんたー",
                     "city_department", "tc-center",
                     description="たちかわ市民交流大学と地域学習館の事業をまとめています。"),
        ProviderData("tc-nishiki", "錦学習館", "にしきがくしゅうかん", "local_learning_hall", "tc-nishiki"),
        ProviderData("tc-shibasaki", "柴崎学習館", "しばさきがくしゅうかん", "local_learning_hall", "tc-shibasaki"),
        ProviderData("tc-takamatsu", "高松学習館", "たかまつがくしゅうかん", "local_learning_hall", "tc-takamatsu"),
        ProviderData("tc-saiwai", "幸学習館", "さいわいがくしゅうかん", "local_learning_hall", "tc-saiwai"),
        ProviderData("tc-sunagawa", "砂川学習館", "すながわがくしゅうかん", "local_learning_hall", "tc-sunagawa"),
        ProviderData("tc-nishisuna", "西砂学習館", "にしすながくしゅうかん", "local_learning_hall", "tc-nishisuna"),
        ProviderData("tc-library", "立川市図書館", "たちかわしとしょかん", "library", "tc-library"),
        ProviderData("tc-museum", "立川市歴史民俗資料館", "たちかわしれきしみんぞくしりょうかん", "city_department",
                     "tc-museum"),
        ProviderData("tc-kunitachi-music", "国立音楽大学", "くにたちおんがくだいがく", "university",
                     "tc-kunitachi-music", trusted=False),
        ProviderData("tc-suishin", "たちかわ市民交流大学 市民推進委員会", "たちかわしみんこうりゅうだいがく しみんすいしんいいんかい",
                     "citizens_group", "tc-center", trusted=False,
                     description="市民が企画・運営に参加する、たちかわ市民交流大学の推進委員会です。"),
        ProviderData("tc-tabunka", "NPO法人 たちかわ多文化共生ネット", "えぬぴーおーほうじん たちかわたぶんかきょうせいねっと",
                     "npo", "tc-nishiki", trusted=False),
    ),
    programmes=(
        Programme(
            "たちかわ市民交流大学「立川の歴史とまちづくり」", "history-heritage", ("everyone", "seniors"),
            "飛行場のまちから多摩の中心都市へ。立川のまちの成り立ちを学ぶ連続講座です。",
            "歴史民俗資料館の学芸員と市の職員が、資料と写真をもとに立川の近現代史をたどります。",
            hosts=("tc-center",), sessions=5, slot="14:00", minutes=90, capacity=60,
            application="lottery",
        ),
        Programme(
            "たちかわ市民交流大学 市民企画講座「はじめての俳句」", "literature", ("everyone",),
            "市民が企画した講座です。季語の探し方から句会の楽しみ方までを学びます。",
            "昭和記念公園での吟行を予定しています。",
            hosts=("tc-suishin",), venue="tc-center", sessions=4, every_days=14, slot="13:30",
            capacity=25, application="first_come", fee=500,
        ),
        Programme(
            "たちかわ市民交流大学 公募型団体企画講座「地域で支える認知症」", "welfare-volunteer",
            ("everyone",),
            "市民団体が企画した講座です。認知症の人と家族を地域で支えるために何ができるかを学びます。",
            "介護家族の会のメンバーによる体験談と、グループワークを行います。",
            hosts=("tc-suishin",), venue="tc-takamatsu", sessions=3, days="weekend", slot="14:00",
            capacity=40, application="first_come", status="submitted",
        ),
        Programme(
            "地域学習館まつり", "community", ("everyone",),
            "学習館で活動するサークルの作品展示、舞台発表、体験コーナーのおまつりです。",
            "地域の皆さんが学習館の活動を知るきっかけに。模擬店もあります。",
            hosts=("tc-saiwai", "tc-sunagawa", "tc-shibasaki"), sessions=2, every_days=1,
            days="weekend", slot="10:00", minutes=360, application="none",
        ),
        Programme(
            "障害者理解講座「見えない・見えにくいってどんなこと」", "human-rights", ("everyone",),
            "視覚障がいのある講師の話を聞き、アイマスクでの歩行体験を行います。",
            "点字資料を用意します。手話通訳・要約筆記があります。",
            hosts=("tc-nishiki",), days="weekend", slot="14:00", minutes=120, capacity=30,
            application="first_come", accessibility=("braille", "sign-language", "captioning"),
        ),
        Programme(
            "青春学級", "welfare-volunteer", ("disabilities", "young-adults"),
            "知的障がいのある青年が、仲間と一緒に学び、楽しむ学級です。",
            "料理、スポーツ、季節の行事など、学級生とスタッフが相談して活動を決めます。",
            hosts=("tc-center",), sessions=4, every_days=14, days="weekend", slot="13:00",
            minutes=180, application="first_come", capacity=30,
        ),
        Programme(
            "異文化交流 世界の料理を作ろう", "international", ("everyone", "foreign-residents"),
            "市内に住む外国人の方を講師に、ふるさとの家庭料理を一緒に作ります。",
            "料理を通して、食文化や暮らしの違いを語り合います。",
            hosts=("tc-tabunka",), venue="tc-nishiki", repeat=2, days="weekend", slot="10:30",
            minutes=180, fee=800, fee_note="材料費", capacity=16, application="lottery",
            accessibility=("easy-japanese",), languages=("ja", "en", "vi"),
        ),
        Programme(
            "いきいき立川出前講座 公開講座「ごみの分け方・減らし方」", "nature-environment", ("everyone",),
            "市の職員が講師となる出前講座を、学習館で公開で行います。",
            "分別のルール、資源化の流れ、家庭でできるごみの減らし方を紹介します。",
            hosts=("tc-center",), venue="tc-takamatsu", days="weekday", slot="14:00", minutes=90,
            capacity=40, application="none",
        ),
        Programme(
            "生涯学習「立川市民科」公開講座 まちの防災を学ぶ", "disaster-prevention", ("everyone", "parents"),
            "小中学校の「立川市民科」と連携し、親子で地域の防災を学びます。",
            "防災マップづくりと、起震車体験を行います。",
            hosts=("tc-center",), venue="tc-sunagawa", days="weekend", slot="10:00", minutes=150,
            capacity=40, application="first_come",
        ),
        Programme(
            "歴史民俗資料館 古文書入門講座", "history-heritage", ("everyone", "seniors"),
            "くずし字の読み方を、砂川の村に伝わる古文書で学びます。",
            "初めての方向けに、よく出る文字から一つずつ覚えていきます。",
            hosts=("tc-museum",), sessions=4, slot="14:00", minutes=120, capacity=25,
            application="lottery", fee=400, fee_note="テキスト代",
        ),
        Programme(
            "古民家園 昔の暮らし体験「わら細工」", "handicrafts", ("elementary", "parents", "seniors"),
            "古民家の土間で、わらを使った縄ないと小物づくりを体験します。",
            "地域の保存会の皆さんが教えます。",
            hosts=("tc-museum",), venue="tc-kominkaen", repeat=2, days="weekend", slot="10:00",
            minutes=120, capacity=15, application="first_come",
        ),
        Programme(
            "学校支援ボランティア養成講座", "welfare-volunteer", ("everyone",),
            "学校の授業や行事を支えるボランティアの心構えと活動内容を学びます。",
            "地域学校協働本部のコーディネーターが、市内の活動事例を紹介します。",
            hosts=("tc-center",), venue="tc-shibasaki", sessions=2, days="weekday", slot="10:00",
            capacity=30, application="first_come",
        ),
        Programme(
            "生涯学習市民リーダー養成講座", "community", ("everyone", "seniors"),
            "学びを地域に広げる市民リーダーを養成する連続講座です。",
            "講座の企画、会議の進め方、広報の方法を学び、修了後は市民交流大学の企画に参加できます。",
            hosts=("tc-center",), sessions=5, every_days=14, days="weekend", slot="10:00",
            capacity=25, application="first_come",
        ),
        Programme(
            "国立音楽大学 公開講座「オペラ入門」", "music", ("everyone",),
            "声楽専攻の教員と学生が、名アリアを歌いながらオペラの楽しみ方を解説します。",
            "大学の講堂で行います。",
            hosts=("tc-kunitachi-music",), sessions=3, days="weekend", slot="14:00", minutes=90,
            fee=2000, fee_note="3回分", capacity=120, application="first_come",
        ),
        Programme(
            "国立音楽大学 親子で楽しむ音楽会", "music", ("infants-parents", "elementary", "parents"),
            "学生たちによる、小さな子どもと一緒に楽しめる音楽会です。",
            "楽器体験コーナーもあります。",
            hosts=("tc-kunitachi-music",), days="weekend", slot="11:00", minutes=60, capacity=200,
            application="none",
        ),
        Programme(
            "施設予約システムの使い方講座", "ict", ("everyone", "seniors"),
            "学習館やスポーツ施設をスマートフォンで予約する方法を、実際に操作して学びます。",
            "サークルの代表者の方におすすめです。",
            hosts=("tc-center",), venue="tc-saiwai", days="weekday", slot="14:00", minutes=90,
            capacity=15, application="first_come",
        ),
        Programme(
            "子ども向け わくわく科学教室", "science-experiments", ("elementary",),
            "電池と豆電球、磁石を使った実験で、電気のふしぎを体験します。",
            "小学3年生から6年生が対象です。",
            hosts=("tc-nishisuna",), days="weekend", slot="13:30", minutes=120, capacity=20,
            application="lottery", age=(8, 12),
        ),
    ),
)


CHITOSE = MunicipalityData(
    code="012246", name="千歳市", kana="ちとせし", prefecture="北海道", slug="chitose",
    area_code="0123", pool_courses=30,
    footer="この講座は「ちとせを学ぶスタンプラリー」の対象です。学習手帳をお持ちの方は受付でスタンプを押します。",
    venues=(
        VenueData("ch-minacool", "千歳市民活動交流センター ミナクール", "ちとせしみんかつどうこうりゅうせんたー みなくーる",
                  "北海道千歳市千代田町4-12", 42.8268, 141.6531, "JR千歳駅から徒歩5分", "駐車場あり。",
                  (*STEP_FREE, "accessible-parking")),
        VenueData("ch-bunka", "千歳市民文化センター", "ちとせしみんぶんかせんたー", "北海道千歳市北栄2-29-1",
                  42.8372, 141.6577, "JR千歳駅からバス「市民文化センター前」下車", "駐車場あり。",
                  (*STEP_FREE, "accessible-parking", "hearing-loop", "nursing-room")),
        VenueData("ch-library", "千歳市立図書館", "ちとせしりつとしょかん", "北海道千歳市北栄1-4-1",
                  42.8346, 141.6541, "JR千歳駅から徒歩15分", "駐車場あり。",
                  (*STEP_FREE, "accessible-parking", "nursing-room")),
        VenueData("ch-fukushi", "千歳市総合福祉センター", "ちとせしそうごうふくしせんたー", "北海道千歳市東雲町2-34",
                  42.8246, 141.6589, "JR千歳駅から徒歩10分", "駐車場あり。", (*STEP_FREE, "accessible-parking")),
        VenueData("ch-koyodai", "向陽台コミュニティセンター", "こうようだいこみゅにてぃせんたー", "北海道千歳市若草4-13",
                  42.8663, 141.6212, "JR千歳駅からバス「向陽台」下車", "駐車場あり。"),
        VenueData("ch-cist", "公立千歳科学技術大学", "こうりつちとせかがくぎじゅつだいがく", "北海道千歳市美々758-65",
                  42.8010, 141.6878, "JR南千歳駅から連絡バス「千歳科学技術大学」下車", "駐車場あり。",
                  (*STEP_FREE, "accessible-parking")),
        VenueData("ch-maizou", "千歳市埋蔵文化財センター", "ちとせしまいぞうぶんかざいせんたー", "北海道千歳市長都42-1",
                  42.8592, 141.6583, "JR長都駅から徒歩15分", "駐車場あり。", ("step-free", "accessible-toilet")),
        VenueData("ch-shikotsu", "支笏湖ビジターセンター", "しこつこびじたーせんたー", "北海道千歳市支笏湖温泉",
                  42.7739, 141.4039, "JR千歳駅から路線バス「支笏湖」下車 徒歩3分", "有料駐車場あり。",
                  ("step-free", "accessible-toilet")),
    ),
    providers=(
        ProviderData("ch-shogai", "千歳市教育委員会 生涯学習課", "ちとせしきょういくいいんかい しょうがいがくしゅうか",
                     "city_department", "ch-minacool",
                     description="千歳学出前講座とちとせを学ぶスタンプラリーを担当します。"),
        ProviderData("ch-minacool", "千歳市民活動交流センター ミナクール", "ちとせしみんかつどうこうりゅうせんたー みなくーる",
                     "kominkan", "ch-minacool",
                     description="市民活動の打ち合わせ、印刷、情報提供と相談の拠点です。"),
        ProviderData("ch-koyodai", "向陽台コミュニティセンター", "こうようだいこみゅにてぃせんたー", "kominkan", "ch-koyodai"),
        ProviderData("ch-library", "千歳市立図書館", "ちとせしりつとしょかん", "library", "ch-library"),
        ProviderData("ch-maizou", "千歳市埋蔵文化財センター", "ちとせしまいぞうぶんかざいせんたー", "city_department",
                     "ch-maizou"),
        ProviderData("ch-cist", "公立千歳科学技術大学", "こうりつちとせかがくぎじゅつだいがく", "university", "ch-cist",
                     trusted=False, description="光科学と情報科学の公立大学です。"),
        ProviderData("ch-hitomachi", "みんなで、ひと・まちづくり委員会", "みんなで ひとまちづくりいいんかい",
                     "citizens_group", "ch-minacool", trusted=False,
                     description="市が委嘱した市民の委員が、まちづくりの担い手を育てる学習会を企画しています。"),
        ProviderData("ch-shikotsu-guide", "支笏湖自然ガイドの会", "しこつこしぜんがいどのかい", "citizens_group",
                     "ch-shikotsu", trusted=False),
    ),
    programmes=(
        Programme(
            "千歳学出前講座「サケのふるさと千歳川」", "nature-environment", ("everyone", "elementary"),
            "千歳川をさかのぼるサケの一生と、インディアン水車の歴史を学びます。",
            "市民や事業者が講師となる「千歳学出前講座」を、どなたでも参加できる公開講座として行います。",
            hosts=("ch-shogai",), venue="ch-minacool", days="weekend", slot="10:00", minutes=90,
            capacity=40, application="first_come",
        ),
        Programme(
            "千歳学出前講座「空港のまち千歳のしごと」", "career", ("teens", "everyone"),
            "新千歳空港で働く人を講師に、空港を支える仕事を紹介します。",
            "航空会社、管制、グランドハンドリングの仕事の話を聞きます。",
            hosts=("ch-shogai",), venue="ch-bunka", days="weekend", slot="14:00", minutes=90,
            capacity=80, application="first_come",
        ),
        Programme(
            "千歳学出前講座「知っておきたい冬の防災」", "disaster-prevention", ("everyone", "seniors"),
            "大雪や停電に備えるための、寒冷地ならではの防災を学びます。",
            "市の危機管理担当職員が講師です。停電時の暖の取り方を実演します。",
            hosts=("ch-shogai",), venue="ch-koyodai", days="weekday", slot="13:30", minutes=90,
            capacity=40, application="none",
        ),
        Programme(
            "千歳学出前講座「千歳の自衛隊と地域の歴史」", "history-heritage", ("everyone",),
            "基地のまち千歳の歩みを、地域の歴史とともにたどります。",
            "写真資料を多く使ってお話しします。",
            hosts=("ch-shogai",), venue="ch-fukushi", days="weekday", slot="10:00", minutes=90,
            capacity=40, application="none",
        ),
        Programme(
            "ちとせを学ぶスタンプラリー 学習手帳説明会", "adult-education", ("everyone",),
            "講座に参加してスタンプを集める「ちとせを学ぶスタンプラリー」の参加方法を説明します。",
            "学習手帳をお渡しし、単位の数え方や表彰の仕組みを紹介します。",
            hosts=("ch-shogai",), venue="ch-minacool", repeat=2, days="weekend", slot="10:30",
            minutes=60, application="none",
        ),
        Programme(
            "ちとせ生涯学習フェスティバル", "community", ("everyone",),
            "市民団体が日頃の学習と活動の成果を発表する、学びのお祭りです。",
            "展示、体験コーナー、ステージ発表があります。",
            hosts=("ch-shogai",), venue="ch-bunka", sessions=2, every_days=1, days="weekend",
            slot="10:00", minutes=360, application="none",
        ),
        Programme(
            "市民活動はじめの一歩講座", "community", ("everyone", "young-adults"),
            "市民活動やボランティアを始めたい方のための入門講座です。",
            "ミナクールの使い方、団体の探し方、活動を始めるまでの流れを紹介します。",
            hosts=("ch-minacool",), days="weekend", slot="14:00", minutes=90, capacity=30,
            application="first_come",
        ),
        Programme(
            "市民活動団体のためのチラシづくり講座", "ict", ("everyone",),
            "伝わるチラシのレイアウトと、パソコンでの作り方を学びます。",
            "ミナクールの印刷機の使い方も案内します。",
            hosts=("ch-minacool",), sessions=2, days="weekday", slot="19:00", minutes=90,
            capacity=15, application="first_come",
        ),
        Programme(
            "ひと・まちづくりリーダー養成講座", "community", ("everyone", "young-adults"),
            "地域の課題を知り、市民協働でまちづくりを進めるリーダーを育てる講座です。",
            "修了者は「ひと・まちづくりリーダー」として認定されます。",
            hosts=("ch-hitomachi",), sessions=5, every_days=14, days="weekend", slot="10:00",
            capacity=25, application="first_come",
        ),
        Programme(
            "千歳科学技術大学 公開講座「光と色の科学」", "science-experiments", ("everyone", "teens"),
            "光の性質と色が見えるしくみを、実験を交えて解説します。",
            "大学の実験室で、分光器を作って観察します。",
            hosts=("ch-cist",), sessions=2, days="weekend", slot="13:30", minutes=120, capacity=40,
            application="first_come",
        ),
        Programme(
            "小中学生のためのプログラミング教室", "ict", ("elementary", "teens"),
            "ビジュアルプログラミングで、ゲームづくりに挑戦します。",
            "大学生がサポートします。パソコンは大学のものを使います。",
            hosts=("ch-cist",), sessions=3, days="weekend", slot="10:00", minutes=120, capacity=24,
            application="lottery", age=(9, 15), status="submitted",
        ),
        Programme(
            "ドローンで学ぶ空の科学", "science-experiments", ("teens",),
            "ドローンが飛ぶ仕組みを学び、体育館で操縦を体験します。",
            "航空法のルールも学びます。",
            hosts=("ch-cist",), days="weekend", slot="13:00", minutes=150, capacity=20,
            application="lottery", age=(12, 18), status="draft",
        ),
        Programme(
            "縄文土器づくり体験", "history-heritage", ("elementary", "parents", "everyone"),
            "キウス周堤墓群など千歳の縄文遺跡について学び、縄文土器を作ります。",
            "作った土器は野焼きのあと、後日お渡しします。",
            hosts=("ch-maizou",), sessions=2, every_days=14, days="weekend", slot="10:00",
            minutes=150, fee=500, fee_note="粘土代", capacity=20, application="lottery",
        ),
        Programme(
            "キウス周堤墓群 見学会", "history-heritage", ("everyone",),
            "世界遺産「北海道・北東北の縄文遺跡群」の一つ、キウス周堤墓群を学芸員と歩きます。",
            "現地集合・現地解散です。歩きやすい靴と服装でご参加ください。",
            hosts=("ch-maizou",), days="weekend", slot="10:00", minutes=120, capacity=30,
            application="first_come", status="cancelled",
            reason="見学路の補修工事のため中止します。日程を改めてお知らせします。",
        ),
        Programme(
            "支笏湖 自然観察会", "nature-environment", ("everyone", "elementary"),
            "支笏湖畔の森を歩き、野鳥と植物、湖の成り立ちを学びます。",
            "ガイドの会の会員が案内します。",
            hosts=("ch-shikotsu-guide",), repeat=2, days="weekend", slot="10:00", minutes=150,
            capacity=20, application="first_come", fee=300, fee_note="保険料",
        ),
        Programme(
            "図書館 おはなし会", "reading", ("infants-parents", "elementary"),
            "絵本の読み聞かせと手遊びを楽しみます。",
            "読み聞かせボランティアが担当します。",
            hosts=("ch-library",), repeat=4, days="weekend", slot="11:00", minutes=30,
            application="none",
        ),
    ),
)

# fmt: on

MUNICIPALITIES = (KOGANEI, NISHITOKYO, TAMA, TACHIKAWA, CHITOSE)


@dataclass(frozen=True)
class Account:
    email: str
    role: str  # "superuser" | "coordinator" | "provider" | "citizen"
    display_name: str
    municipality: str = ""  # code, for a coordinator
    provider: str = ""  # provider key, for a member


DEMO_PASSWORD = "manabiya-demo"  # noqa: S105 - the published password of the demo accounts

ACCOUNTS = (
    Account("admin@example.jp", "superuser", "管理者"),
    *(
        Account(f"coordinator.{m.slug}@example.jp", "coordinator", f"{m.name} 生涯学習担当", municipality=m.code)
        for m in MUNICIPALITIES
    ),
    Account("kominkan.koganei@example.jp", "provider", "公民館本館 職員", provider="kg-kominkan-honkan"),
    Account("ict-npo.koganei@example.jp", "provider", "ICTサポートの会 事務局", provider="kg-ict-npo"),
    Account("cist.chitose@example.jp", "provider", "千歳科学技術大学 地域連携センター", provider="ch-cist"),
    Account("citizen@example.jp", "citizen", "学び 花子"),
)
