from django import forms

CODE_ERROR = "Enter the 6-digit code from your authenticator app"


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter your username"}
    )
    password = forms.CharField(
        label="Password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Security code",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text="The 6-digit code shown in your authenticator app",
        error_messages={"required": CODE_ERROR, "invalid": CODE_ERROR},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class BreakGlassForm(CodeForm):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        max_length=2000,
        widget=forms.Textarea,
        help_text="Your reason is recorded and reviewed by the data protection officer.",
        error_messages={"required": "Enter why you need to open this record"},
    )
