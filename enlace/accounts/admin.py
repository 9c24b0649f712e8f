from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Office, User

admin.site.register(User, UserAdmin)
admin.site.register(Office)
admin.site.register(Membership)
