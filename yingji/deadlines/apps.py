from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "yingji.deadlines"
    label = "deadlines"
