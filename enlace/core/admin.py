from django.contrib import admin

from .models import Country, Currency, Job

admin.site.register(Country)
admin.site.register(Currency)
admin.site.register(Job)
