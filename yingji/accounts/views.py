from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.accounts import services
from yingji.accounts.forms import LoginForm
from yingji.audit.middleware import client_ip
from yingji.framework.access import assignments_of, has_clearance


def login_view(request):
    """Sign-in for every module (统一身份认证), with failure throttling per account and address."""
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], client_ip(request)
        if services.login_locked(username, ip):
            form.add_error(None, _("登录失败次数过多，请15分钟后再试。"))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.record_login_failure(username, ip)
                form.add_error(None, _("用户名或密码错误，请重新输入。"))
            else:
                services.clear_login_failures(username, ip)
                login(request, user)
                if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                    next_url = ""
                return redirect(next_url or "dashboard:home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_required
def profile_view(request):
    """My account: roles with their scopes, clearance, and my API token."""
    from rest_framework.authtoken.models import Token

    if request.method == "POST" and request.POST.get("action") == "token":
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": assignments_of(request.user),
            "clearance": has_clearance(request.user),
            "token": token,
        },
    )
