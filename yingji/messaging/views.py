"""Messaging pages: my inbox (HTMX mark read), a notification's page, the officers' send form, and the
generic lists of messages and deliveries."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDetailView, ObjectListView, htmx_redirect
from yingji.messaging import services
from yingji.messaging.choices import DeliveryStatus
from yingji.messaging.forms import MessageSendForm
from yingji.messaging.models import Delivery, Message, Notification
from yingji.messaging.tables import DeliveryTable

PER_PAGE = 20


def _inbox_queryset(user, unread_only=False):
    qs = (
        Notification.objects.inbox(user)
        .select_related("message__sender")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created", "-id")
    )
    return qs.filter(read_at__isnull=True) if unread_only else qs


def _inbox_context(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(_inbox_queryset(request.user, unread_only), PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    return {
        "page": page,
        "unread_only": unread_only,
        "unread": services.unread_count(user),
        "can_send": can(user, "add", Message),
        "can_view_deliveries": can(user, "view", Delivery),
    }


@login_required
def inbox(request):
    """我的消息: my notifications, unread first."""
    context = _inbox_context(request)
    if request.htmx and request.htmx.target == "inbox-list":
        return render(request, "messaging/_inbox_list.html", context)
    return render(request, "messaging/inbox.html", context)


def _own_notification(request, pk, action="view"):
    """The user's own notification, or 404 (someone else's reads as missing)."""
    return get_object_or_404(
        Notification.objects.inbox(request.user, action).select_related("message"), pk=pk
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = services.mark_read(_own_notification(request, pk, "change"), actor=request.user)
    if request.htmx:
        return render(
            request,
            "messaging/_notification_read.html",
            {"n": notification, "unread": services.unread_count(request.user)},
        )
    return redirect("messaging:inbox")


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(actor=request.user)
    if request.htmx:
        context = _inbox_context(request)
        context["oob_badge"] = True
        return render(request, "messaging/_inbox_list.html", context)
    flash.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect("messaging:inbox")


@login_required
def notification_open(request, pk):
    """Open a notification: it becomes read, and its link (a page of the platform) opens."""
    notification = services.mark_read(_own_notification(request, pk, "change"), actor=request.user)
    link = notification.message.link
    if (
        link
        and request.GET.get("stay") != "1"
        and url_has_allowed_host_and_scheme(
            link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(link)
    return render(request, "messaging/notification_detail.html", {"n": notification})


@login_required
def message_send(request):
    """发送消息: an officer picks recipients in scope and channels; the message is sent by ``send_message``."""
    if not can(request.user, "add", Message):
        raise PermissionDenied(_("您的角色不能发送消息。"))
    form = MessageSendForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = services.send_message(
                actor=request.user,
                subject=data["subject"],
                body=data["body"],
                link=data["link"],
                category=data["category"],
                channels=data["channels"],
                users=list(data["users"]),
                persons=list(data["persons"]),
                places=list(data["places"]),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        else:
            counts = services.status_counts(message.deliveries.all())
            failed = counts[DeliveryStatus.FAILED]
            flash.success(
                request,
                _("已发送“%(subject)s”：共 %(total)d 条，其中 %(failed)d 条无法发送。")
                % {"subject": message.subject, "total": sum(counts.values()), "failed": failed},
            )
            return htmx_redirect(request, message.get_absolute_url())
    form.mark_invalid()
    return render(request, "messaging/message_send.html", {"form": form})


class MessageListView(ObjectListView):
    template_name = "messaging/message_list.html"

    def base_context(self, **extra):
        return super().base_context(can_send=can(self.request.user, "add", Message), **extra)


class MessageDetailView(ObjectDetailView):
    template_name = "messaging/message_detail.html"

    def extra_context(self, obj) -> dict:
        deliveries = (
            Delivery.objects.visible_to(self.request.user)
            .filter(message=obj)
            .select_related("message", "person", "user", "place")
        )
        table = DeliveryTable(deliveries, request=self.request)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return {
            "counts": services.status_counts(deliveries),
            "deliveries_table": table,
            "deliveries_url": reverse("messaging:delivery_list") + f"?message={obj.pk}",
        }


class DeliveryListView(ObjectListView):
    """发送记录: every delivery in the officer's scope, filtered by status, channel, message, place."""


class DeliveryDetailView(ObjectDetailView):
    pass
