from django.core.management.base import BaseCommand

from activities import demo as activities_demo
from stations import demo


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）：云浮行政区划、简报所涉村（居）、各镇社工站、社工和演示账号。"

    def handle(self, *args, **options):
        # Each app adds its part in dependency order; later issues append the
        # reports, the seed issue and the published newsletter here.
        demo.build_network(stdout=self.stdout)
        activities_demo.build_reports(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪。演示账号密码：{demo.DEMO_PASSWORD}")
        )
