from django.contrib import admin

from isf.customers.models import Account, Contact, Order, OrderLine, PhoneNumber, Product, ProductGroup, Quote


class PhoneInline(admin.TabularInline):
    model = PhoneNumber
    extra = 0


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["erp_number", "name", "postcode", "city", "segment", "phase", "owner", "team"]
    list_filter = ["segment", "phase", "customer_type", "state"]
    search_fields = ["erp_number", "name", "postcode"]
    raw_id_fields = ["owner"]
    inlines = [PhoneInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "account", "function", "buying_role", "status"]
    search_fields = ["last_name", "account__name"]
    raw_id_fields = ["account"]
    readonly_fields = ["status"]  # a contact leaves through the contact-status page (buying-center signal)


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "group", "list_price"]
    list_filter = ["group"]
    search_fields = ["sku", "name"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["product", "account"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "account", "date"]
    search_fields = ["number", "account__name"]
    raw_id_fields = ["account"]
    inlines = [OrderLineInline]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["number", "account", "date", "amount", "valid_until", "status"]
    list_filter = ["status"]
    raw_id_fields = ["account", "contact"]
    readonly_fields = ["status"]  # won or lost through the quote follow-up (its outcome and task)
