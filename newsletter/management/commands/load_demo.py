from django.core.management.base import BaseCommand

from activities import demo as activities_demo
from beneficiaries.demo import build_beneficiaries
from newsletter import demo as newsletter_demo
from stations import demo


class Command(BaseCommand):
    help = (
        "载入演示数据（可重复运行）：云浮行政区划、简报所涉村（居）、各镇社工站、社工、"
        "演示账号、活动报告、服务对象、简报草稿和已发布的种子期。"
    )

    def handle(self, *args, **options):
        # Each app adds its part in dependency order: the network, the reports, the
        # beneficiary files (with their visits, cases and attendance on those
        # reports), then the publication: the seed issue imported and published
        # (the demo's approved reports appeared in it), and a draft assembled
        # from the approved reports of the last weeks.
        demo.build_network(stdout=self.stdout)
        reports = activities_demo.build_reports(stdout=self.stdout)
        build_beneficiaries(reports=reports, stdout=self.stdout)
        newsletter_demo.build_newsletter(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪。演示账号密码：{demo.DEMO_PASSWORD}")
        )
