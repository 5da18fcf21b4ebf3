"""A page a cluster cannot serve (not set up, a shard down) is a 503 that says what to
do, in the line the commands print, never a 500."""

from django.http import JsonResponse
from django.shortcuts import render

from buildings.cluster.shards import ClusterError


class ClusterUnavailable:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ClusterError):
            return None
        if request.path.endswith(".json"):
            return JsonResponse({"error": str(exception)}, status=503)
        return render(request, "503.html", {"message": str(exception)}, status=503)
