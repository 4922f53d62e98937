"""Demo activity reports, taken from the seed issue (../shared/seed/), in every
state of the workflow, for stations and for the county and city bureaus, each
with one or two photos drawn by Pillow. Runs after stations.demo.build_network().

Everything goes through the services, as the demo users would do it: the report
is filed by its author, photos are added while it is a draft, then it is
submitted, approved or returned by a reviewer who may do so (DESIGN.md §4).
Stations without a demo account (六祖镇, 泗纶镇, 河口镇, 平台镇) and county bureaus
without one (云安区, 新兴县) file as the superuser "admin"; their county has no
reviewer account either, so the city editor reviews them, except in 郁南县.

Idempotent: a report is keyed by its filing unit and title; one that exists is
left as it is, so a rerun adds nothing and changes nothing. Texts, dates and
counts come from the seed; where the seed gives no date ("近日") or no count, the
demo picks a plausible one (marked "demo" below).
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from stations.models import City, County, Station, Village

from . import services
from .models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Level,
    Partner,
    Project,
    Status,
)
from .photos import report_photo_add
from .trainings import project_create, project_link_report

CITY_CODE = "445300"  # 云浮市

PROJECT_TITLE = "青春同行，向阳而生"


@dataclass(frozen=True)
class DemoReport:
    # ("city",), ("county", county) or ("station", county, town)
    unit: tuple
    author: str
    title: str
    start_date: datetime.date
    kind: str
    body: tuple[str, ...]
    state: str = Status.APPROVED
    reviewer: str = ""
    comment: str = ""
    subtitle: str = ""
    end_date: datetime.date | None = None
    village: str = ""
    place_text: str = ""
    villages_reached: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    other_partners: str = ""
    counts: dict = field(default_factory=dict)
    photos: tuple[str, ...] = ()
    in_project: bool = False


D = datetime.date

DEMO_REPORTS = [
    DemoReport(
        unit=("city",),
        author="editor",
        reviewer="editor",
        title="建立健全社会工作常态化培训学习机制",
        subtitle="云浮市民政局顺利举办全市2022年度“双百工程”系列培训",
        start_date=D(2022, 12, 1),
        end_date=D(2023, 2, 28),
        place_text="云浮市委党校",
        kind="培训",
        categories=("社工",),
        counts={"persons": 465, "person_times": 3260, "service_hours": Decimal(390)},
        photos=("专家为“双百”社工授课", "参训学员分组研讨"),
        body=(
            "为充分调动社工专业学习的积极性和主动性，2022年12月至2023年2月，云浮市民政局顺利举办全市2022年度“双百工程”系列培训，此次培训包含“双百工程”岗前培训和“双百工程”社会工作专业培训等。云浮市以“双百工程”系列培训为契机，有效提升“双百”社工社会工作专业素质和为民服务能力，为广大困难群众和特殊群体解决“急难愁盼”问题和奋力打通为民服务“最后一米”奠定了坚实的基础。",
            "[照片1]",
            "本次系列培训在云浮市委党校举办，累计共开展5期，先后邀请了东莞理工学院社会工作专业硕士（MSW）教育中心副主任、社会工作系副主任、副教授王海洋；广东医科大学社会工作系专任教师，广东省百名社工讲师团成员钟柳青；北京师范大学人文和社会科学高等研究院副教授、硕士生导师、韩国首尔市立大学（UOS）访问学者贺志峰等知名学者和行业专家授课，授课方式多样，重视学员的课堂反应，回应学员的提问，能激发学员对学习和运用社会工作的兴趣，培训质量高。据统计，此次参加培训的“双百”社工共465人，累计培训时长为390小时，参与培训人次达3260人次。",
            "培训期间，云浮市民政局党组书记、局长李德荣，局党组副书记、副局长吴国全到现场对参训学员表示关心慰问，详细了解学员的学习情况和住校的生活情况，并对学员今后能够顺利开展为民服务工作寄予了殷切期望，希望参训学员以实际行动和优质化服务，不断擦亮云浮“双百蓝”品牌。",
            "[照片2]",
            "参训学员从此次培训中学习到习近平新时代中国特色社会主义思想和党的二十大精神，熟悉掌握双百社工岗位的服务职责、具体工作要求和上岗指引，充分了解到民政相关社会救助、社会福利等法律法规和惠民政策，进一步坚定社会工作专业价值观、学习社会工作专业手法及社会工作文书写作方法等。截至2023年2月底，为期五轮的云浮市“双百工程”社会工作系列培训已圆满结束。",
            "接下来，云浮市民政局将致力于建设云浮市社会工作服务常态化培训学习机制，持续为云浮市“双百”社工提供常态化、专业化培训，进一步提升“双百”社工的社会工作专业服务理念，通过搭建云浮市社工互助支持平台，不断加强解决群众实际困难的能力，建设一支稳定性高且专业性强的社会工作人才队伍。",
        ),
    ),
    DemoReport(
        unit=("county", "云城区"),
        author="reviewer",
        reviewer="editor",
        title="云城区民政局组织开展2023年“双百工程”社工站副站长会议",
        start_date=D(2023, 3, 1),
        kind="会议",
        categories=("社工",),
        photos=("副站长会议现场", "优秀社工表彰仪式"),
        body=(
            "为认真学习贯彻习近平新时代中国特色社会主义思想、党的二十大精神，根据广东省民政厅、市民政局对“广东兜底民生服务社会工作双百工程”（以下简称“双百工程”）的部署要求，云城区进一步推动各镇（街道）社会工作服务站（点）建设，促进社工站之间的交流。3月1日下午，云城区民政局组织召开2023年云城区“双百工程”社工站副站长会议，同时对获得2022年度各镇（街）社工站的优秀社工进行表彰。",
            "座谈会上，各镇（街）社工站副站长对2022年的工作情况进行总结汇报，重点围绕服务开展及成效、存在问题、工作计划等方面进行，并针对工作中所遇到的难题及解决方法展开探讨，加强交流，传授经验，进一步增强全区社工站的凝聚力。社工督导就全区“双百工程”社工开展专业社会工作服务等进行发言。",
            "[照片1]",
            "优秀社工表彰仪式上，陈志建副局长和社工督导为9名获得2022年度的优秀社工颁发荣誉证书，鼓励广大社工继续扎根基层，不断提升专业能力，总结提炼服务经验，加大社会工作服务宣传，提升“双百工程”社会影响力。各镇（街）优秀社工代表进行获奖经验分享发言。",
            "[照片2]",
            "最后，区民政局陈志建副局长作总结强调：目前，云城区顺利建成8个“双百工程”社工站40个社工点，社工队伍发展到110人。社工站（点）达到有场地、有设备、有人员、有服务功能、有工作流程、有规章制度的“六有”标准。",
            "本次会议有效地总结了云城区“双百工程”2022年的工作情况，促使各镇（街）社工站交流学习彼此经验，反思不足，补齐短板，进一步明确及部署了2023年的工作，确保“双百工程”落地生根、开花结果、造福社群。",
        ),
    ),
    DemoReport(
        unit=("county", "云安区"),
        author="admin",
        reviewer="editor",
        title="云安民政织牢织密保护网，为未成年人健康成长保驾护航",
        start_date=D(2023, 2, 23),
        kind="宣传",
        categories=("未成年人", "孤儿", "事实无人抚养儿童", "困境儿童"),
        partners=("妇联", "残联", "派出所", "学校"),
        photos=("社工向群众讲解《未成年人保护法》",),
        body=(
            "为更好维护未成年人合法权益，切实保障未成年人身心健康成长，近日，云安区民政局充分发挥“双百工程”社工积极作用，组织“双百”社工开展宣传教育、入户走访等活动。活动通过普及《未成年人保护法》、健康知识、困境儿童有关政策及亲子教育等内容，提高未成年人自我保护意识与能力，筑牢保障未成年人合法权益的坚实防线。",
            "一、广泛宣传强意识",
            "2月23日，镇安镇社工站在镇安镇社区开展《未成年人保护法》宣传活动。活动中，社工通过派发宣传单张、互动交流等形式，细心向群众、学生讲解《未成年人保护法》的相关知识，推动落实家庭教育责任，强化未成年人的心理健康教育。同日，高村镇社工站联同镇妇联、残联、派出所等部门开展宣传活动，大力宣讲《未成年人保护法》，耐心解答群众的问题，普及家庭教育和未成年人保护相关知识。",
            "[照片1]",
            "二、入户走访助成长",
            "社工们相继到社区一线走访慰问孤儿及事实无人抚养儿童，了解到一些孩子由于父母去世或重残无力监护，普遍是隔代抚养或亲属抚养。社工们运用专业沟通技巧与孩子们进行交流，了解他们内心的真实想法、学习生活环境、监护状态、社会支持等情况，动态更新档案，以便更好、更及时地为其提供针对性的专业服务。",
            "三、循循善诱暖童心",
            "白石镇社工站在日常入户走访时了解到辖区一名服务对象与奶奶相依为命，因缺少精神上的关爱和全面的家庭教育，其出现辍学现象。对此，社工多次入户探访及开展实地评估，通过整合资源，与学校老师反复上门进行家访劝导，为其提供心理辅导，帮助服务对象打开心扉和增强自信，促使其调整心态重返校园。",
        ),
    ),
    DemoReport(
        unit=("county", "新兴县"),
        author="admin",
        reviewer="editor",
        title="新兴县民政局启动全县“双百工程”社工（点）建设督导工作机制",
        start_date=D(2023, 3, 2),
        kind="督导",
        categories=("社工",),
        place_text="六祖镇社工站",
        photos=("督导工作小组在六祖镇召开工作会议",),
        body=(
            "为认真贯彻落实“广东兜底民生服务社会工作双百工程”（以下简称“双百工程”）的部署要求，进一步推动新兴县社会工作服务站（点）建设，新兴县民政局以分管领导、业务股室、市派驻新兴县社工督导等人员组成督导工作小组，从3月起，陆续深入各镇实地察看并指导各镇落实、完善“双百工程”社工站（点）建设工作。",
            "3月2日上午，新兴县民政局副局长邓冠恒率督导工作小组到六祖镇，通过现场察看、听取汇报、召开工作会议等方式，深入了解社工站（点）当前建设运营、社工人才队伍保障、社工服务开展等情况。",
            "[照片1]",
            "在工作会议上，邓冠恒对社工站（点）的建设等工作提出要求与建议。他指出，要加快推动站点建设，完善设备设施，做好运行保障；要进一步加强社工业务能力建设，各镇政府要全力支持社工督导人员工作，社工督导人员要经常性对社工进行培训指导，推动各项社会工作服务落地、落实。",
        ),
    ),
    DemoReport(
        unit=("station", "云城区", "安塘街道"),
        author="worker",
        reviewer="reviewer",
        title="温暖“童”行，“双百工程”社工助力适龄儿童顺利入园",
        start_date=D(2023, 2, 16),
        village="都栗村",
        kind="个案",
        categories=("困境儿童",),
        partners=("村委", "幼儿园"),
        counts={"persons": 1},
        photos=("社工陪伴孩子和家长到幼儿园了解就读条件",),
        body=(
            "为更好营造关注、关爱困境儿童的社会氛围，促进构建未成年人健康成长的良好社会环境，云城区民政局组织“好人队伍”指导安塘街道社工站以实际举措践行困境儿童关爱保护行动。行动成功助力安塘都栗村内一名6岁适龄儿童顺利入园，为困境儿童的快乐健康成长“护航”。",
            "近日，安塘街道社工站社工在开展服务走访中发现安塘都栗村内一名6岁儿童从未进校园接受过学校教育。为此，社工主动联合村委干部多次上门探访，对该儿童自身情况、家庭情况等进行全面观察评估，并向其附近的邻居村民询问了解孩子的家庭背景和人际关系。经多方了解得知，孩子存在孤独、缺乏关爱、缺少引导与鼓励等问题。对此，社工通过耐心劝说家长，让其认识到接受教育的重要性，让其认识到融入学校、融入社会对孩子成长的帮助。最后，社工与家长达成共识，共同促进孩子入学。",
            "[照片1]",
            "社工陪伴孩子及家长到附近幼儿园询问就读条件；为协助孩子顺利入学，社工做好试读入学前的辅导，与孩子一起观看微课堂视频，激发孩子对幼儿园的兴趣，缓解孩子不安情绪。在大家不懈努力下，2月16日，孩子以良好的表现顺利入园就读，幼儿园老师对孩子的评价超出预期。此外，为该儿童申请了本学期的助学金补助以减轻家庭负担，让孩子安心就读。",
            "此次的助学行动只是云城区双百社工开展社会工作过程的一个缩影。下一步，云城区民政局将继续发动“好人队伍”，安塘街道社工站继续充分发挥双百社工作用优势，主动发现服务对象的实际困难，通过找真、找准、找细问题，进行精准施策，做到应救尽救、应帮尽帮，织密织牢民生服务兜底保障网。",
        ),
    ),
    DemoReport(
        # The follow-up the seed announces ("接下来，社工将持续跟进…"): a draft.
        unit=("station", "云城区", "安塘街道"),
        author="head",
        state=Status.DRAFT,
        title="都栗村入园儿童跟进回访",
        start_date=D(2023, 3, 6),  # demo
        village="都栗村",
        kind="入户走访",
        categories=("困境儿童",),
        counts={"persons": 1, "households": 1},
        photos=("社工入户回访",),
        body=(
            "2月16日，都栗村一名6岁困境儿童在社工协助下顺利入园就读。接下来，社工将持续跟进孩子在园、在家情况，做好关心、关爱工作，让困境儿童能够沐浴童年该有的温暖和阳光。",
        ),
    ),
    DemoReport(
        unit=("station", "云安区", "富林镇"),
        author="worker_fulin",
        state=Status.RETURNED,
        reviewer="editor",
        comment="请写明助学款的发放标准和资金来源，并补充入户走访的是哪个村。",
        title="开展“暖心护苗 呵护成长”关爱农村困境儿童和留守儿童活动",
        start_date=D(2023, 2, 25),
        place_text="富林镇综治中心",
        kind="慰问",
        categories=("困境儿童", "留守儿童"),
        partners=("司法所", "社工机构"),
        other_partners="佛山某社会工作服务中心",
        counts={"persons": 21},
        photos=("工作人员为孩子们讲解《未成年人保护法》", "手工制作环节"),
        body=(
            "为加强对下一代的关心、关爱，守护农村困境儿童、留守儿童，2月25日，富林镇社工站、富林镇司法所和佛山某社会工作服务中心在镇综治中心联合开展“暖心护苗  呵护成长”关爱农村困境儿童和留守儿童活动，为辖区21名困境儿童、留守儿童发放助学款，送去温暖。",
            "活动中，工作人员通过讲座的形式宣传《未成年人保护法》、宣传困境儿童保障有关政策，用孩子们喜闻乐见、通俗易懂的事例和知识竞答，充分调动孩子们的主动性，提高未成年人的法律意识、安全防范意识和自我保护能力，叮嘱、提醒孩子注意防校园暴力、预防溺水和出行安全等事项，防止各种意外事故的发生。",
            "[照片1]",
            "活动还设置了手工制作环节，工作人员在制作过程中与孩子们互动交流，了解他们的家庭情况以及实际困难，及时为他们提供心理疏导和情感支持。“今天谢谢叔叔阿姨们的用心，我感觉非常温暖。我要好好学习，长大了一定要做一个对社会有用的人，温暖更多人。”参与本次活动的曾同学有感而发。",
            "[照片2]",
            "活动后，工作人员还到一户困境儿童家中入户走访，了解其困难和需求，对其进行建档立卡，链接资源帮助其解决学习上、生活上的困难，以实际行动关爱需要帮助的孩子，帮助其改善学习、生活条件。",
            "开展这一护苗行动不仅用爱浇灌一颗颗小树苗，更是希望在他们心中播下爱的种子，让他们学会爱自己、爱身边人。接下来，富林镇社工站继续关注未成年人的身心健康，加大对困境儿童的帮扶力度，用心用情用力为需要帮助的孩子们办实事、解难题，努力让每一个孩子都能健康、快乐成长。",
        ),
    ),
    DemoReport(
        unit=("station", "新兴县", "六祖镇"),
        author="admin",
        reviewer="editor",
        title="开展2023年“夕阳红，幸福家”义影义剪志愿活动",
        start_date=D(2023, 2, 26),
        village="夏卢村",
        kind="志愿服务",
        categories=("老年人",),
        partners=("志愿服务队", "村委"),
        other_partners="智慧禅都志愿服务队",
        counts={"volunteers": 8},  # demo: the seed gives no number
        photos=("志愿者为长者义剪", "长者拿到自己的照片"),
        body=(
            "一推一剪皆是爱，点点滴滴暖人心。",
            "理发，一件看来再寻常不过的小事，却是一些行动不便的老人的奢望；拍照，一部手机就能解决的小事，却是一些老人不曾有过的体验。",
            "为关爱行动不便的老人，2023年2月26日上午，六祖镇社工站夏卢服务点社工与智慧禅都志愿服务队在夏卢村委干部的协助下，开展2023年“夕阳红，幸福家”义影义剪志愿活动。",
            "“义剪”——用剪刀剪去长者们的忧愁",
            "一把剪刀、一把梳子、一块围布、一把椅子，简易的“理发店”就搭建好了。理发志愿者们拿起“爱心剪”，伴随着咔嚓咔嚓的声音，一缕缕银丝滑落在地，陆续呈现出一个个干净利落的短发，解决了“头”等大事的长者们纷纷绽开了笑颜。",
            "[照片1]",
            "“义影”——用照片记录长者们的岁月痕迹",
            "剪完头发的长者们在社工的指引下坐到拍照的地方，他们在摄像机前拘谨地坐着，但当摄影师放下相机之后，他们立马放松起来，露出了笑脸。当拿到属于自己的精美照片时，长者们眉开眼笑，互相炫耀自己的照片。",
            "[照片2]",
            "爱心在传递、义剪暖人心；志愿始于心，奉献在于行。本次义影、义剪活动让村居长者们充分感受到了党委政府、社工站和志愿者的温暖关怀。",
        ),
    ),
    DemoReport(
        unit=("station", "罗定市", "泗纶镇"),
        author="admin",
        state=Status.SUBMITTED,
        title="开展“珍爱生命，远离毒品”宣传活动",
        start_date=D(2023, 2, 24),  # demo: the seed gives no date
        village="高和村",
        kind="宣传",
        partners=("社工机构",),
        other_partners="大同禁毒社工机构",
        photos=("社工向村民展示仿真毒品模型",),
        body=(
            "“毒品就是毒药，危害健康，腐蚀灵魂。毒品是罪恶的深渊，走进去，失去的是生命；远离它，得到的是快乐与幸福。”为进一步加大禁毒宣传教育力度，提高社区村民识毒、防毒、拒毒意识，泗纶镇社工联合大同社工到泗纶镇高和村开展禁毒知识宣传活动。",
            "“这东西不是跳跳糖和邮票么？怎么是毒品啊！”",
            "“是呀，这两种都属于新型毒品，普通人较难辨识......”",
            "村民的目光被这样一段对话吸引了过去，原来是泗纶镇社工站联合大同禁毒社工机构正在开展“珍爱生命，远离毒品”宣传活动。活动中，社工们一方面向群众展览仿真毒品模型，让群众认识、了解毒品种类，切实提高群众对毒品（特别是新型毒品）的辨识能力；另一方面向群众发放宣传资料，讲解毒品本质和危害，现场解答群众提出的问题。",
            "[照片1]",
            "通过这次禁毒宣传活动，让村民们充分认识到毒品危害的严重性，增强了大家拒绝毒品的决心，在辖区内形成营造了人人参与、全民禁毒的氛围，为创建无毒乡镇奠定良好基础。",
        ),
    ),
    DemoReport(
        unit=("station", "郁南县", "河口镇"),
        author="admin",
        state=Status.SUBMITTED,
        title="开展防止返贫三类和重残对象入户走访工作",
        start_date=D(2023, 2, 20),  # demo: the seed says "近日"
        kind="入户走访",
        categories=("防止返贫监测对象", "重度残疾人"),
        partners=("村委",),
        # The seed: 12 villages, 262 persons; none of the villages is named, so
        # villages_reached stays empty.
        counts={"persons": 262},
        photos=("社工与村干部入户了解困难家庭情况",),
        body=(
            "为切实做好防止返贫“三类监测对象”、成年无业重度残疾人和以老养残重度残疾人的社会救助兜底保障工作，近日，河口镇社工站全体社工与村“两委”干部到村入户走访返贫三类人员和重度残疾对象。",
            "在走访过程中，社工们对本辖区内以上人群全面摸查工作，包括其人口、收入、住房等情况，做到客观评估、不漏项、不缺项。另外，对有困难的家庭深入询问其家庭情况，了解服务对象面临的问题和困境，分析其家庭结构及其社会支持网络，精准识别服务对象的服务需求，与服务对象讲解社会救助相关政策内容，对符合救助政策的对象及时救助，做到“应救尽救”。",
            "[照片1]",
            "河口镇社工站目前已走访了辖内12个村（居）委，共262人。入户走访不仅加深了社工对生活困难群众对象的了解，增进了社工与他们之间的感情，还让群众感受到党和政府的温暖和关怀。",
        ),
    ),
    DemoReport(
        unit=("station", "郁南县", "平台镇"),
        author="admin",
        reviewer="reviewer_yunan",
        title="对“青春同行，向阳而生”关爱重点青少年群体服务项目进行中期阶段性总结",
        start_date=D(2023, 2, 28),  # demo: the seed says "项目开展近半年"
        kind="项目",
        categories=("重点青少年", "困境儿童"),
        partners=("团委", "学校", "妇联"),
        other_partners="平台镇社会工作与志愿服务协会",
        villages_reached=(
            "古勉村",
            "万洞村",
            "平台村",
            "中村",
            "次步村",
            "石台村",
            "在田村",
            "水台村",
        ),
        counts={"person_times": 1057, "households": 152, "persons": 18},
        photos=("普法宣传进村入户", "社工走访重点青少年"),
        in_project=True,
        body=(
            "为认真贯彻落实习近平新时代中国特色社会主义思想和省、市、县关于预防青少年违法犯罪工作部署要求，着力做好重点青少年群体的超前预防和临界干预工作，郁南县平台镇社工站、平台镇社会工作与志愿服务协会通过承接团市委公益创投的形式，开展“青春同行，向阳而生”关爱重点青少年群体服务项目。",
            "项目开展近半年，现进行中期阶段性总结，总结如下：",
            "一、项目开展（实施）情况",
            "平台镇14条行政村中目前完成了古勉村、万洞村、平台村、中村、次步村、石台村、在田村和水台村共8条行政村的覆盖，覆盖率达60%。目前开展活动5场，项目活动人次达1057人次，入户宣传政策952人次，走访重点青少年18人，慰问困境儿童3户，开展困境青少年个案2个。",
            "二、项目成效",
            "1.开展法律法规宣传",
            "自项目开展至今，郁南县平台镇社工站到平台镇各村开展未成年保护法、禁毒等方面宣传工作，通过走访宣传，使得更多群众了解到未成年人保护法和禁毒的相关法律法规，提高青少年及群众的知法懂法守法意识。目前，郁南县平台镇社会工作与志愿服务协会共走访约152户，走访青少年及群众约952人次。",
            "[照片1]",
            "2.走访重点青少年群体",
            "走访五类重点青少年群体，了解其需求，并根据实际需求进行一对一跟进，做好建档立卡工作，动态系统性地对其进行帮扶，目前，郁南县平台镇社工站共了解到18名重点青少年，并对他们的问题、需求集中整理并进行跟进。",
            "[照片2]",
            "3.慰问困境儿童",
            "郁南县平台镇站联动镇妇联、平台镇社工站对三户困境青少年进行慰问，进一步关心关爱特殊家庭及困境儿童身心健康发展，了解其内心所想，及时帮助其解忧，降低困境儿童出现不良行为和不良思想的机率。",
            "三、下一步工作计划",
            "继续与学校和社区进行合作，开展未成年人保护法知识系列活动、安全教育系列活动以及禁毒类系列活动；通过入户宣传、一对一帮扶等方式，对重点青少年进行社区、学校、家庭三方面的帮扶；逐渐壮大志愿服务队伍，为重点青少年群体服务贡献力量。",
        ),
    ),
]


# --- Photos ------------------------------------------------------------------------

PALETTES = [
    ((38, 92, 160), (242, 201, 76), (231, 111, 81), (42, 157, 143)),
    ((46, 125, 50), (255, 183, 77), (121, 85, 72), (3, 169, 244)),
    ((123, 31, 162), (255, 112, 67), (255, 238, 88), (0, 150, 136)),
    ((21, 101, 192), (239, 83, 80), (255, 202, 40), (102, 187, 106)),
]


def demo_jpeg(key: str, number: int, size=(1200, 900)) -> bytes:
    """A stand-in photo: sky, ground, a few coloured shapes and a caption-like
    band, drawn the same way for the same ``key`` and ``number``. No people, so
    no consent question."""
    rng = random.Random(f"{key}#{number}")
    sky, accent, warm, ground = rng.choice(PALETTES)
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    for y in range(0, horizon, 6):  # a soft gradient, in bands to stay quick
        shade = tuple(min(255, c + y * 60 // horizon) for c in sky)
        draw.rectangle([0, y, width, y + 6], fill=shade)
    draw.rectangle([0, horizon, width, height], fill=ground)
    sun = rng.randint(100, width - 100)
    draw.ellipse([sun - 70, 60, sun + 70, 200], fill=accent)
    for _ in range(rng.randint(3, 5)):
        x = rng.randint(40, width - 300)
        w, h = rng.randint(120, 260), rng.randint(120, 260)
        top = horizon - h + rng.randint(0, 40)
        draw.rectangle([x, top, x + w, top + h], fill=warm, outline=(40, 40, 40))
        draw.polygon(
            [(x - 10, top), (x + w // 2, top - h // 3), (x + w + 10, top)],
            fill=accent,
        )
    band = height - 110
    draw.rectangle([0, band, width, height], fill=(20, 20, 20))
    draw.rectangle([40, band + 30, 40 + rng.randint(500, 900), band + 50], fill=warm)
    draw.text(
        (40, band + 65),
        f"DEMO {number}",
        fill=(230, 230, 230),
        font=ImageFont.load_default(),
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# --- Building -----------------------------------------------------------------------


def _unit(city: City, spec_unit: tuple):
    if spec_unit[0] == "city":
        return city
    if spec_unit[0] == "county":
        return County.objects.get(city=city, name=spec_unit[1])
    return Station.objects.with_place().get(
        town__county__city=city,
        town__county__name=spec_unit[1],
        town__name=spec_unit[2],
    )


def _existing(unit, title: str) -> ActivityReport | None:
    if isinstance(unit, Station):
        qs = ActivityReport.objects.filter(level=Level.STATION, station=unit)
    elif isinstance(unit, County):
        qs = ActivityReport.objects.filter(level=Level.COUNTY, county=unit)
    else:
        qs = ActivityReport.objects.filter(level=Level.CITY, city=unit)
    return qs.filter(title=title).first()


def _project(city: City, by) -> Project:
    station = _unit(city, ("station", "郁南县", "平台镇"))
    project = Project.objects.filter(station=station, title=PROJECT_TITLE).first()
    if project is None:
        project = project_create(
            project=Project(
                title=PROJECT_TITLE,
                funder="团市委公益创投",
                station=station,
                start_date=D(2022, 9, 1),  # demo: "近半年" before the summary
                end_date=D(2023, 8, 31),
                target_villages=14,
                description=(
                    "郁南县平台镇社工站、平台镇社会工作与志愿服务协会承接团市委公益创投，"
                    "通过早发现、早介入、早预防，与学校、社区联动开展宣传活动，"
                    "并对重点青少年进行一对一的个案帮扶。"
                ),
            ),
            by=by,
        )
    return project


def _file(spec: DemoReport, unit, users, lists, project) -> ActivityReport:
    author = users[spec.author]
    town = unit.town if isinstance(unit, Station) else None
    village = (
        Village.objects.get(town=town, name=spec.village) if spec.village else None
    )
    report = ActivityReport(
        title=spec.title,
        subtitle=spec.subtitle,
        start_date=spec.start_date,
        end_date=spec.end_date,
        town=town,
        village=village,
        place_text=spec.place_text,
        kind=lists["kinds"][spec.kind],
        other_partners=spec.other_partners,
        body="\n".join(spec.body),
        **spec.counts,
    )
    services.report_create(
        report=report,
        unit=unit,
        by=author,
        categories=[lists["categories"][name] for name in spec.categories],
        partners=[lists["partners"][name] for name in spec.partners],
        villages_reached=list(
            Village.objects.filter(town=town, name__in=spec.villages_reached)
        )
        if spec.villages_reached
        else (),
    )
    for number, caption in enumerate(spec.photos, start=1):
        report_photo_add(
            report=report,
            by=author,
            file=ContentFile(demo_jpeg(spec.title, number), name="demo.jpg"),
            caption=caption,
            shows_people=False,
        )
    if spec.in_project:
        project_link_report(project=project, report=report, by=users["admin"])

    if spec.state == Status.DRAFT:
        return report
    services.report_submit(report=report, by=author)
    if spec.state == Status.APPROVED:
        services.report_approve(report=report, by=users[spec.reviewer])
    elif spec.state == Status.RETURNED:
        services.report_return(
            report=report, by=users[spec.reviewer], comment=spec.comment
        )
    return report


def build_reports(stdout=None) -> dict[str, ActivityReport]:
    """Add the demo reports that are not there yet; returns every demo report by
    title."""
    usernames = {spec.author for spec in DEMO_REPORTS} | {
        spec.reviewer for spec in DEMO_REPORTS if spec.reviewer
    }
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=usernames | {"admin"})
    }
    lists = {
        "kinds": {k.name: k for k in ActivityKind.objects.all()},
        "categories": {c.name: c for c in BeneficiaryCategory.objects.all()},
        "partners": {p.name: p for p in Partner.objects.all()},
    }
    reports = {}
    created = 0
    with transaction.atomic():
        city = City.objects.get(code=CITY_CODE)
        project = _project(city, users["admin"])
        for spec in DEMO_REPORTS:
            unit = _unit(city, spec.unit)
            report = _existing(unit, spec.title)
            if report is None:
                report = _file(spec, unit, users, lists, project)
                created += 1
            reports[spec.title] = report
    if stdout is not None:
        stdout.write(
            f"活动报告：新增 {created} 份，已有 {len(DEMO_REPORTS) - created} 份。"
        )
    return reports
