"""Words the generator writes: people's and places' names, report titles and the
sentences of report bodies.

Body sentences come from the seed issue (newsletter/data/seed_issue.txt), so the
generated text reads like the newsletter and the search indexes the characters
real articles use. Names are made from common surnames and given-name
characters; place names from syllables no real Guangdong division is built from
in this combination, with 镇/街道/区/县/市 appended.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SEED_ISSUE = Path(__file__).resolve().parents[2] / "newsletter/data/seed_issue.txt"

SURNAMES = (
    "陈李黄张梁林刘吴何罗郑杨谢周冯邓叶苏许朱彭蔡钟温卢曾赖潘廖欧麦邱莫严龙古谭丘"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华嘉欣"
    "晓婷志豪美玲俊文浩倩仪慧建国红梅海燕金凤玉珍春丽少雄家"
    "宇子涵梓轩诗琪雨晴思颖锦荣永健国辉小龙炳坤淑贤月娥"
)
PLACE_FIRST = "东南西北青白石金龙凤云平安新河江湖山岭岗塘坪田沙水湾洲禾桂榕"
PLACE_SECOND = "林城口头圩坑田岭源溪塘湖洞水门沙冈坝埔岗陂坳滩冲美和丰兴华"

ACTIVITY_THEMES = (
    ("宣传", "“珍爱生命，远离毒品”禁毒宣传"),
    ("宣传", "防溺水安全教育宣传"),
    ("宣传", "防范电信诈骗宣传"),
    ("宣传", "民法典进村居宣传"),
    ("入户走访", "困境儿童入户走访"),
    ("入户走访", "防止返贫监测对象入户走访"),
    ("入户走访", "独居老人节前走访"),
    ("个案", "困境家庭个案帮扶"),
    ("小组", "“快乐成长”儿童成长小组"),
    ("小组", "长者健康互助小组"),
    ("社区活动", "“我们的节日·中秋”邻里游园"),
    ("社区活动", "“暖心护苗 呵护成长”关爱留守儿童"),
    ("社区活动", "“夕阳红，幸福家”长者生日会"),
    ("志愿服务", "“义影义剪”志愿服务"),
    ("志愿服务", "学雷锋志愿服务"),
    ("培训", "社工专业能力提升培训"),
    ("会议", "社工站工作例会"),
    ("督导", "社工站专业督导"),
    ("慰问", "困难群众春节慰问"),
    ("项目", "关爱重点青少年服务项目中期总结"),
)
TITLE_VERBS = ("开展", "举办", "组织开展", "联合开展", "开展2次")
SUBHEADINGS = (
    "一、广泛宣传强意识",
    "二、深入走访摸实情",
    "三、链接资源解难题",
    "一、精心筹备",
    "二、用心服务",
    "三、总结提升",
)
PHOTO_CAPTIONS = (
    "社工为居民讲解宣传资料",
    "社工入户了解服务对象情况",
    "志愿者为长者义剪",
    "活动现场",
    "社工与儿童开展互动游戏",
    "社工站工作人员合影",
)
VISIT_NOTES = (
    "了解服务对象近期生活、学习和身体状况，家中情况稳定。",
    "服务对象精神状态良好，监护人照料到位。",
    "与监护人交流孩子在校情况，提醒注意假期安全。",
    "老人反映腿脚不便，已联系村委协助代购生活用品。",
    "电话回访，服务对象表示近况良好。",
)
NEEDS = (
    "",
    "",
    "",
    "需要链接助学资源。",
    "需要协助申请临时救助。",
    "需要定期上门探访。",
)
RETURN_COMMENTS = (
    "请补充活动人数和照片说明。",
    "标题请写明活动主题。",
    "正文过短，请补充活动成效。",
)

_SENTENCE_RE = re.compile(r"[^。！？；\n]+[。！？]")
# A sentence naming a date, a number or a photo reads wrong out of its place.
_SKIP_RE = re.compile(r"[0-9０-９]|image|照片|——|本期")


@cache
def sentences() -> tuple[str, ...]:
    """Whole sentences of the seed issue's bodies, each once, in their order."""
    text = SEED_ISSUE.read_text(encoding="utf-8")
    found = dict.fromkeys(
        s.strip()
        for s in _SENTENCE_RE.findall(text)
        if 14 <= len(s.strip()) <= 90 and not _SKIP_RE.search(s)
    )
    return tuple(found)


def person_name(rng) -> str:
    given = rng.choice(GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given


def unique_names(rng, count: int, make, taken=()) -> list[str]:
    """``count`` different names from ``make(rng)``, none of them in ``taken``."""
    seen = set(taken)
    names = []
    while len(names) < count:
        name = make(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def place_stem(rng) -> str:
    return rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)


def mobile(rng) -> str:
    """An 11-digit mobile number in the 170/171 virtual-operator ranges."""
    return f"17{rng.randrange(2)}{rng.randrange(100_000_000):08d}"
