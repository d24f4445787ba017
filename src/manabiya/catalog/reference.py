"""Reference data every installation starts with: the classic portal topic split, life stages,
and accessibility features. Loaded by a data migration; editable afterwards by coordinators."""

# (slug, 名称, English, [(slug, 名称, English), ...])
CATEGORIES = [
    ("education", "教育一般", "Education", [
        ("schooling", "学校・教育", "Schools and education"),
        ("adult-education", "生涯学習・社会教育", "Lifelong learning"),
        ("reading", "読書・図書館", "Reading and libraries"),
    ]),
    ("humanities", "人文・社会", "Humanities and society", [
        ("languages", "語学", "Languages"),
        ("history-heritage", "歴史・文化財", "History and heritage"),
        ("literature", "文学", "Literature"),
        ("society-economy", "社会・経済", "Society and economy"),
        ("philosophy-psychology", "哲学・心理", "Philosophy and psychology"),
    ]),
    ("science", "自然科学", "Natural science", [
        ("nature-environment", "自然・環境", "Nature and environment"),
        ("science-experiments", "科学・実験", "Science and experiments"),
        ("astronomy-earth", "天文・地学", "Astronomy and earth science"),
    ]),
    ("industry", "産業・技術", "Industry and technology", [
        ("ict", "ICT・スマホ", "ICT and smartphones"),
        ("career", "仕事・資格", "Work and qualifications"),
        ("agriculture", "農業・園芸", "Farming and gardening"),
    ]),
    ("arts", "芸術・文化", "Arts and culture", [
        ("music", "音楽", "Music"),
        ("fine-arts", "美術・工芸", "Fine arts and crafts"),
        ("calligraphy", "書道", "Calligraphy"),
        ("traditional-arts", "伝統芸能・茶道・華道", "Traditional arts"),
        ("photo-video", "写真・映像", "Photography and film"),
    ]),
    ("sports", "スポーツ・レクリエーション", "Sports and recreation", [
        ("health", "健康", "Health"),
        ("sport", "スポーツ", "Sports"),
        ("dance-exercise", "ダンス・体操", "Dance and exercise"),
        ("recreation", "レクリエーション", "Recreation"),
    ]),
    ("home", "家庭生活・趣味", "Home life and hobbies", [
        ("cooking", "料理", "Cooking"),
        ("parenting", "子育て", "Parenting"),
        ("handicrafts", "手芸・ものづくり", "Handicrafts"),
        ("living", "住まい・暮らし", "Home and living"),
    ]),
    ("civic", "市民生活・国際", "Civic life and international", [
        ("international", "国際交流・多文化共生", "International exchange"),
        ("disaster-prevention", "防災・防犯", "Disaster and crime prevention"),
        ("community", "まちづくり", "Community building"),
        ("welfare-volunteer", "福祉・ボランティア", "Welfare and volunteering"),
        ("human-rights", "人権・平和", "Human rights and peace"),
        ("consumer", "消費生活", "Consumer life"),
    ]),
    ("other", "その他", "Other", [
        ("misc", "その他", "Other"),
    ]),
]  # fmt: skip

AUDIENCES = [
    ("infants-parents", "乳幼児と保護者", "Infants with parents"),
    ("elementary", "小学生", "Elementary school children"),
    ("teens", "中高生", "Junior and senior high school students"),
    ("young-adults", "若者", "Young adults"),
    ("parents", "子育て世代", "Parents"),
    ("working-age", "働く世代", "Working people"),
    ("seniors", "高齢者", "Seniors"),
    ("disabilities", "障がいのある方", "People with disabilities"),
    ("foreign-residents", "外国人住民", "Foreign residents"),
    ("everyone", "どなたでも", "Everyone"),
]

OPPORTUNITY_SUPPORT = [
    ("wheelchair", "車椅子可", "Wheelchair accessible"),
    ("sign-language", "手話通訳", "Sign language interpretation"),
    ("captioning", "要約筆記", "Real-time captioning (要約筆記)"),
    ("subtitles", "字幕", "Subtitles"),
    ("braille", "点字資料", "Braille materials"),
    ("written-communication", "筆談対応", "Written communication"),
    ("easy-japanese", "やさしい日本語", "Easy Japanese"),
]

VENUE_FEATURES = [
    ("step-free", "段差なし・スロープ", "Step-free access"),
    ("elevator", "エレベーター", "Elevator"),
    ("accessible-toilet", "多目的トイレ", "Accessible toilet"),
    ("accessible-parking", "障がい者用駐車場", "Accessible parking"),
    ("hearing-loop", "ヒアリングループ", "Hearing loop"),
    ("assistance-dogs", "補助犬可", "Assistance dogs welcome"),
    ("nursing-room", "授乳室", "Nursing room"),
]


def load_reference_data(*, Category, Audience, AccessibilityFeature) -> None:
    """Create what is missing; safe to run again. Takes the model classes so a migration can pass
    its historical models."""
    for order, (slug, name, name_en, children) in enumerate(CATEGORIES):
        top, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})
        for child_order, (child_slug, child_name, child_en) in enumerate(children):
            Category.objects.get_or_create(
                slug=child_slug,
                defaults={"name": child_name, "name_en": child_en, "order": child_order, "parent": top},
            )
    for order, (slug, name, name_en) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})
    for scope, features in (("opportunity", OPPORTUNITY_SUPPORT), ("venue", VENUE_FEATURES)):
        for order, (slug, name, name_en) in enumerate(features):
            AccessibilityFeature.objects.get_or_create(
                slug=slug, defaults={"scope": scope, "name": name, "name_en": name_en, "order": order}
            )
