import { useId, type ChangeEvent, type ReactNode } from 'react';
import { field } from './classes';

type Common = { label: string; hint?: string; errors?: string[] | undefined; required?: boolean; name: string };

/** Label, hint and errors tied to the control, so a screen reader reads them with it. */
function Frame({ id, label, hint, errors, required, children }: Omit<Common, 'name'> & { id: string; children: ReactNode }) {
  return (
    <div className="mb-6">
      <label htmlFor={id} className={field.label}>
        {label}
        {required === true && (
          <span className="ml-2 rounded-4 bg-error-1 px-1 text-dns-14B-120 text-white" aria-hidden="true">
            *
          </span>
        )}
      </label>
      {hint !== undefined && (
        <span id={`${id}-hint`} className={field.hint}>
          {hint}
        </span>
      )}
      {errors?.map((message, i) => (
        <span key={i} id={`${id}-error-${i}`} className={field.error}>
          {message}
        </span>
      ))}
      <div className="mt-2">{children}</div>
    </div>
  );
}

const describedBy = (id: string, hint: string | undefined, errors: string[] | undefined): string | undefined => {
  const ids = [...(hint === undefined ? [] : [`${id}-hint`]), ...(errors ?? []).map((_, i) => `${id}-error-${i}`)];
  return ids.length === 0 ? undefined : ids.join(' ');
};

/** What every control says about itself: required, invalid, and which hint and errors describe it. */
const aria = ({ id, hint, errors, required }: Omit<Common, 'label' | 'name'> & { id: string }) => ({
  'aria-required': required,
  'aria-invalid': errors !== undefined && errors.length > 0,
  'aria-describedby': describedBy(id, hint, errors),
});

export function TextField(props: Common & { value: string; onChange: (value: string) => void; type?: 'text' | 'email' | 'datetime-local'; autoComplete?: string }) {
  const id = useId();
  const { label, hint, errors, required, name, value, onChange, type = 'text', autoComplete } = props;
  return (
    <Frame id={id} label={label} hint={hint} errors={errors} required={required}>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        {...aria({ id, hint, errors, required })}
        autoComplete={autoComplete ?? 'off'}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
        className={field.input}
      />
    </Frame>
  );
}

export function SelectField(props: Common & { value: string; onChange: (value: string) => void; placeholder: string; options: { value: string; label: string }[] }) {
  const id = useId();
  const { label, hint, errors, required, name, value, onChange, placeholder, options } = props;
  return (
    <Frame id={id} label={label} hint={hint} errors={errors} required={required}>
      <select
        id={id}
        name={name}
        value={value}
        {...aria({ id, hint, errors, required })}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value)}
        className={field.input}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function TextAreaField(props: Common & { value: string; onChange: (value: string) => void; rows?: number }) {
  const id = useId();
  const { label, hint, errors, required, name, value, onChange, rows = 3 } = props;
  return (
    <Frame id={id} label={label} hint={hint} errors={errors} required={required}>
      <textarea
        id={id}
        name={name}
        value={value}
        rows={rows}
        {...aria({ id, hint, errors, required })}
        onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
        className={field.input}
      />
    </Frame>
  );
}
