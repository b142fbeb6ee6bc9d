from django.contrib import admin

from isf.segmentation.models import Segment


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_de", "name_en", "precedence", "care_budget", "team"]
